package did

// DID is a decentralized identifier (DID Core §3.1): did:Method:ID.
// The zero value is not a valid DID; see [DID.IsZero].
type DID struct {
	// Method is the method name, lowercase letters and digits ("key", "web").
	Method string
	// ID is the method-specific identifier exactly as written: percent-encoding is kept.
	ID string
}

// Parse parses s as a DID. Errors wrap [ErrInvalidDID] (or [ErrTooLarge] for
// strings longer than [MaxURLLength]).
func Parse(s string) (DID, error) {
	return DID{}, ErrInvalidDID
}

// String returns "did:" + d.Method + ":" + d.ID, or "" for the zero DID.
func (d DID) String() string {
	if d.IsZero() {
		return ""
	}
	return "did:" + d.Method + ":" + d.ID
}

// IsZero reports whether d is the zero DID.
func (d DID) IsZero() bool { return d.Method == "" && d.ID == "" }

// MarshalText implements encoding.TextMarshaler. The zero DID marshals as empty text.
func (d DID) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [Parse]. Empty text gives the zero DID.
func (d *DID) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = DID{}
		return nil
	}
	p, err := Parse(string(text))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
