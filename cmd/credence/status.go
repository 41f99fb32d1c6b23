package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

// listFile is a status list as the issuer keeps it locally: what "status create" writes
// and the other status commands read and update.
type listFile struct {
	// Kind is "bitstring" (W3C Bitstring Status List) or "token" (IETF Token Status List).
	Kind string `json:"kind"`
	// ID is the URL the list is published at: statusListCredential, or the token's uri.
	ID string `json:"id"`
	// Purpose is the statusPurpose of a bitstring list.
	Purpose string `json:"purpose,omitempty"`
	// Size is the number of entries.
	Size int `json:"size"`
	// StatusSize is the bits per entry.
	StatusSize int `json:"statusSize"`
	// Messages are the statusMessage of a bitstring list whose entries are wider than a bit.
	Messages []status.StatusMessage `json:"messages,omitempty"`
	// List is the encoded list: encodedList (bitstring) or lst (token).
	List string `json:"list"`
}

// The kinds of status list.
const listKindBitstring, listKindToken = "bitstring", "token"

// statusList is a loaded list file.
type statusList struct {
	file listFile
	bits *status.BitstringList
	tok  *status.TokenList
}

func (l *statusList) get(i int) (uint8, error) {
	if i >= l.file.Size {
		return 0, fmt.Errorf("index %d is outside the list of %d entries: %w", i, l.file.Size, vc.ErrStatusRange)
	}
	if l.bits != nil {
		return l.bits.Get(i)
	}
	v, err := l.tok.Get(i)
	return uint8(v), err
}

func (l *statusList) set(i int, v uint8) error {
	if i >= l.file.Size {
		return fmt.Errorf("index %d is outside the list of %d entries: %w", i, l.file.Size, vc.ErrStatusRange)
	}
	if l.bits != nil {
		return l.bits.Set(i, v)
	}
	return l.tok.Set(i, status.TokenStatus(v))
}

func (l *statusList) encode() error {
	var err error
	if l.bits != nil {
		l.file.List, err = l.bits.Encode()
	} else {
		l.file.List, err = l.tok.Encode()
	}
	return err
}

// allocations is the file of the indices handed out for the list in name.
func allocations(name string) string { return name + ".indices" }

func loadList(e *env, name string) (*statusList, error) {
	if name == "-" {
		return nil, usagef("a status list file cannot be stdin")
	}
	data, err := readInput(e, name)
	if err != nil {
		return nil, err
	}
	l := &statusList{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l.file); err != nil || dec.More() {
		return nil, fmt.Errorf("%s is not a status list file: %w", name, vc.ErrMalformed)
	}
	f := l.file
	if f.Size < 1 || f.ID == "" {
		return nil, fmt.Errorf("%s is not a status list file: %w", name, vc.ErrMalformed)
	}
	switch f.Kind {
	case listKindBitstring:
		l.bits, err = status.DecodeBitstringList(f.List, status.DecodeOptions{StatusSize: f.StatusSize})
		if err == nil && l.bits.Len() != f.Size {
			err = fmt.Errorf("the list holds %d entries, not %d: %w", l.bits.Len(), f.Size, vc.ErrMalformed)
		}
	case listKindToken:
		l.tok, err = status.DecodeTokenList(f.List, f.StatusSize, status.DecodeOptions{})
		if err == nil && l.tok.Len() < f.Size {
			err = fmt.Errorf("the list holds %d entries, not %d: %w", l.tok.Len(), f.Size, vc.ErrMalformed)
		}
	default:
		err = fmt.Errorf("unknown kind %q: %w", f.Kind, vc.ErrMalformed)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the status list in %s: %w", name, err)
	}
	return l, nil
}

// saveList replaces the list file name with l, through a temporary file so that a
// crash leaves the old or the new list, never half of one.
func saveList(name string, l *statusList, create bool) error {
	if err := l.encode(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(l.file, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if create {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

const statusCreateUsage = `usage: credence status create --id URL [--purpose revocation|suspension|message] [--size N]
                             [--status-size BITS [--message VALUE=TEXT ...]] [--token] FILE

Makes a new status list, all entries zero (valid), and writes it to FILE (never
overwriting one). --id is the URL the list will be published at: credentials name it
in their status entries, and "credence status publish" signs the list for it.

By default the list is a W3C Bitstring Status List of 131,072 entries (the smallest
the specification allows, so that an index hides its holder among many) for
revocation. --status-size gives each entry several bits; each of its values then needs
a --message, such as --message 0x0=valid --message 0x1=revoked.

--token makes an IETF Token Status List instead (for SD-JWT VCs): --status-size is its
bits per entry (1, 2, 4 or 8; 2 to express SUSPENDED as well as INVALID).

Indices are handed out by "credence status allocate" (or "credence issue --status"),
which records them in FILE.indices so that none is used twice.`

func cmdStatusCreate(_ context.Context, e *env, args []string) error {
	f := newFlags("status create", statusCreateUsage)
	id := f.String("id", "", "the `URL` the list is published at (required)")
	purpose := f.String("purpose", status.PurposeRevocation, "bitstring: revocation, suspension or message")
	size := f.Int("size", status.MinBitstringEntries, "the number of entries")
	statusSize := f.Int("status-size", 1, "bits per entry")
	var messages multi
	f.Var(&messages, "message", "bitstring: the meaning of a status value, `VALUE=TEXT` such as 0x1=revoked (repeatable)")
	token := f.Bool("token", false, "make a Token Status List instead of a Bitstring Status List")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one list file to create, got %d arguments", len(pos))
	}
	if u, err := url.Parse(*id); *id == "" || err != nil || !u.IsAbs() || u.Host == "" || u.Fragment != "" {
		return usagef("--id must be an absolute URL without fragment")
	}
	l := &statusList{file: listFile{ID: *id, Size: *size, StatusSize: *statusSize}}
	if *token {
		if len(messages) > 0 {
			return usagef("--message is for Bitstring Status Lists")
		}
		if l.tok, err = status.NewTokenList(*size, *statusSize); err != nil {
			return usagef("%v", err)
		}
		l.file.Kind = listKindToken
	} else {
		switch *purpose {
		case status.PurposeRevocation, status.PurposeSuspension, status.PurposeMessage:
		default:
			return usagef("--purpose must be revocation, suspension or message, not %q", *purpose)
		}
		if *purpose == status.PurposeMessage && *statusSize < 2 {
			return usagef("--purpose message needs --status-size 2 or more and a --message for each value")
		}
		if *size < status.MinBitstringEntries {
			return usagef("--size must be at least %d for a Bitstring Status List", status.MinBitstringEntries)
		}
		if l.file.Messages, err = parseMessages(messages, *statusSize); err != nil {
			return err
		}
		if l.bits, err = status.NewBitstringList(*size, *statusSize); err != nil {
			return usagef("%v", err)
		}
		l.file.Kind, l.file.Purpose = listKindBitstring, *purpose
	}
	if _, err := os.Stat(allocations(pos[0])); err == nil {
		return fmt.Errorf("%s already exists: it belongs to another list", allocations(pos[0]))
	}
	if err := saveList(pos[0], l, true); err != nil {
		return err
	}
	e.log.Info("created status list", "file", pos[0], "kind", l.file.Kind, "size", l.file.Size)
	if e.json {
		f := l.file
		return writeJSON(e.stdout, struct {
			File       string                 `json:"file"`
			Kind       string                 `json:"kind"`
			ID         string                 `json:"id"`
			Purpose    string                 `json:"purpose,omitempty"`
			Size       int                    `json:"size"`
			StatusSize int                    `json:"statusSize"`
			Messages   []status.StatusMessage `json:"messages,omitempty"`
		}{pos[0], f.Kind, f.ID, f.Purpose, f.Size, f.StatusSize, f.Messages})
	}
	fmt.Fprintf(e.stdout, "created %s: %s status list of %d entries of %d bit(s) for %s\n",
		pos[0], l.file.Kind, l.file.Size, l.file.StatusSize, l.file.ID)
	return nil
}

// parseMessages reads the --message flags: one for each value of a statusSize-bit entry,
// or none when entries are one bit.
func parseMessages(flags []string, statusSize int) ([]status.StatusMessage, error) {
	if statusSize <= 1 {
		if len(flags) > 0 {
			return nil, usagef("--message needs --status-size 2 or more")
		}
		return nil, nil
	}
	if statusSize > 8 {
		return nil, usagef("--status-size must be 1 to 8")
	}
	n := 1 << statusSize
	if len(flags) != n {
		return nil, usagef("--status-size %d needs %d --message flags, one per value, not %d", statusSize, n, len(flags))
	}
	seen := make([]bool, n)
	msgs := make([]status.StatusMessage, n)
	for _, fl := range flags {
		v, text, ok := strings.Cut(fl, "=")
		val, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(v), "0x"), 16, 8)
		if !ok || err != nil || !strings.HasPrefix(strings.ToLower(v), "0x") || int(val) >= n || text == "" {
			return nil, usagef("--message %q: want VALUE=TEXT with VALUE in hexadecimal from 0x0 to %#x", fl, n-1)
		}
		if seen[val] {
			return nil, usagef("--message: two messages for %#x", val)
		}
		seen[val] = true
		msgs[val] = status.StatusMessage{Status: fmt.Sprintf("%#x", val), Message: text}
	}
	return msgs, nil
}

const statusAllocateUsage = `usage: credence status allocate FILE

Takes a fresh index of the status list in FILE, drawn at random among the free ones and
recorded in FILE.indices before it is printed (so no index is ever handed out twice),
and prints the status entry to put in the new credential: a credentialStatus entry
(BitstringStatusListEntry) for a Bitstring Status List, a status claim for a Token
Status List. With --json: {"index": N, "entry": {...}}.`

func cmdStatusAllocate(ctx context.Context, e *env, args []string) error {
	f := newFlags("status allocate", statusAllocateUsage)
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one list file, got %d arguments", len(pos))
	}
	l, err := loadList(e, pos[0])
	if err != nil {
		return err
	}
	idx, entry, err := allocate(ctx, e, pos[0], l)
	if err != nil {
		return err
	}
	if e.json {
		return writeJSON(e.stdout, struct {
			Index int             `json:"index"`
			Entry json.RawMessage `json:"entry"`
		}{idx, entry})
	}
	return writeLine(e.stdout, entry)
}

// allocate takes an index of the list in name and returns it with the status entry
// naming it: a BitstringStatusListEntry, or a Token Status List status claim.
func allocate(ctx context.Context, e *env, name string, l *statusList) (int, json.RawMessage, error) {
	a, err := status.NewFileAllocator(allocations(name), l.file.Size)
	if err != nil {
		return 0, nil, fmt.Errorf("opening %s: %w", allocations(name), err)
	}
	idx, err := a.Allocate(ctx)
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, nil, err
	}
	e.log.Info("allocated a status index", "list", name, "allocated", a.Allocated())
	var entry []byte
	if l.file.Kind == listKindToken {
		entry, err = json.Marshal(status.TokenReference{Index: idx, URI: l.file.ID})
	} else {
		entry, err = json.Marshal(status.BitstringEntry{
			ID: l.file.ID + "#" + strconv.Itoa(idx), Type: status.EntryTypeBitstring, Purpose: l.file.Purpose,
			Index: idx, ListCredential: l.file.ID, StatusSize: l.file.StatusSize, Messages: l.file.Messages,
		})
		if err == nil {
			_, err = status.ParseBitstringEntry(entry)
		}
	}
	if err != nil {
		return 0, nil, err
	}
	return idx, entry, nil
}

const statusSetUsage = `usage: credence status set [--value V] FILE INDEX

Sets the status at INDEX of the list in FILE: 1 by default, which revokes (or suspends,
for a suspension list) the credential holding that index. For a list whose entries are
wider than one bit, --value gives the value (decimal or 0x hexadecimal); for a Token
Status List --value may also be invalid (1) or suspended (2). Publish the list again
("credence status publish") for verifiers to see the change.`

const statusClearUsage = `usage: credence status clear FILE INDEX

Sets the status at INDEX of the list in FILE back to 0 (valid): a suspended credential
is reinstated. Publish the list again for verifiers to see the change.`

func cmdStatusSet(_ context.Context, e *env, args []string) error {
	f := newFlags("status set", statusSetUsage)
	value := f.String("value", "1", "the status value")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	v, err := parseStatusValue(*value)
	if err != nil {
		return err
	}
	return setStatus(e, pos, v)
}

func cmdStatusClear(_ context.Context, e *env, args []string) error {
	f := newFlags("status clear", statusClearUsage)
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	return setStatus(e, pos, 0)
}

func parseStatusValue(s string) (uint8, error) {
	switch s {
	case "valid":
		return uint8(status.TokenValid), nil
	case "invalid":
		return uint8(status.TokenInvalid), nil
	case "suspended":
		return uint8(status.TokenSuspended), nil
	}
	v, err := strconv.ParseUint(s, 0, 8)
	if err != nil {
		return 0, usagef("--value %q is not a status value from 0 to 255", s)
	}
	return uint8(v), nil
}

func setStatus(e *env, pos []string, v uint8) error {
	if len(pos) != 2 {
		return usagef("expected a list file and an index, got %d arguments", len(pos))
	}
	idx, err := strconv.Atoi(pos[1])
	if err != nil || idx < 0 || strconv.Itoa(idx) != pos[1] {
		return usagef("index %q is not a non-negative integer", pos[1])
	}
	l, err := loadList(e, pos[0])
	if err != nil {
		return err
	}
	if l.file.StatusSize < 8 && v >= 1<<l.file.StatusSize {
		return usagef("value %d does not fit the %d bit(s) of an entry", v, l.file.StatusSize)
	}
	prev, err := l.get(idx)
	if err != nil {
		return err
	}
	if err := l.set(idx, v); err != nil {
		return err
	}
	if err := saveList(pos[0], l, false); err != nil {
		return err
	}
	e.log.Info("status set", "list", pos[0], "index", idx, "value", v)
	if e.json {
		return writeJSON(e.stdout, struct {
			Index    int   `json:"index"`
			Previous uint8 `json:"previous"`
			Value    uint8 `json:"value"`
		}{idx, prev, v})
	}
	fmt.Fprintf(e.stdout, "index %d: %d -> %d (publish the list again)\n", idx, prev, v)
	return nil
}

const statusPublishUsage = `usage: credence status publish --key FILE [--kid KID] [--format jwt|di] [--valid-for DURATION] [--ttl DURATION] FILE

Signs the status list in FILE with the issuer's key and prints what to serve at the
list's URL: a BitstringStatusListCredential (as a vc+jwt, or with a Data Integrity
proof with --format di) for a Bitstring Status List, a Status List Token (JWT, typ
statuslist+jwt) for a Token Status List. The list must be signed by the issuer of the
credentials it covers: verifiers check that.

--valid-for sets how long the published list is valid (validUntil, or the token's exp;
default 24h); --ttl tells verifiers how long they may cache it (default 5m).`

func cmdStatusPublish(ctx context.Context, e *env, args []string) error {
	f := newFlags("status publish", statusPublishUsage)
	keyFile := f.String("key", "", "the issuer's private JWK `FILE`")
	kid := f.String("kid", "", "the key id to sign with (a DID URL); if empty, the key's did:key method")
	format := f.String("format", "jwt", "bitstring: jwt or di")
	validFor := f.Duration("valid-for", 24*time.Hour, "how long the published list is valid")
	ttl := f.Duration("ttl", 5*time.Minute, "how long verifiers may cache the list")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one list file, got %d arguments", len(pos))
	}
	if *format != "jwt" && *format != "di" {
		return usagef("--format must be jwt or di, not %q", *format)
	}
	if *validFor <= 0 || *ttl < 0 {
		return usagef("--valid-for must be positive and --ttl not negative")
	}
	l, err := loadList(e, pos[0])
	if err != nil {
		return err
	}
	if l.tok != nil && *format != "jwt" {
		return usagef("a Token Status List is published as a JWT only")
	}
	signer, err := loadKey(e, *keyFile)
	if err != nil {
		return err
	}
	if *kid == "" {
		if _, *kid, err = keyDID(ctx, signer.Public(), "key"); err != nil {
			return err
		}
	}
	issuer, err := vc.NewIssuer(signer, *kid, vc.IssuerOptions{Clock: wholeSeconds})
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	var out []byte
	if l.bits != nil {
		doc, err := l.bits.Credential(status.BitstringCredentialOptions{
			ID: l.file.ID, Issuer: issuer.ID(), Purpose: []string{l.file.Purpose},
			ValidFrom: now, ValidUntil: now.Add(*validFor), TTL: *ttl,
		})
		if err != nil {
			return err
		}
		c, err := vc.ParseCredential(doc)
		if err != nil {
			return err
		}
		if out, err = issuer.Issue(ctx, c, vc.Format(*format), vc.IssueOptions{}); err != nil {
			return err
		}
	} else {
		payload, err := l.tok.Payload(status.TokenPayloadOptions{
			Subject: l.file.ID, Issuer: issuer.ID(), IssuedAt: now, Expiry: now.Add(*validFor), TTL: *ttl,
		})
		if err != nil {
			return err
		}
		if out, err = issuer.SignStatusListToken(ctx, payload); err != nil {
			return err
		}
	}
	e.log.Info("published status list", "list", pos[0], "kind", l.file.Kind, "issuer", issuer.ID())
	return writeLine(e.stdout, out)
}

const statusCheckUsage = `usage: credence status check --status-list URL=FILE ... [--allow-network] [--at TIME] [flags] CREDENTIAL_FILE|-

Checks the status of a credential (its credentialStatus Bitstring Status List entries,
or the Token Status List reference of an SD-JWT VC) against its status lists, and
prints the status of each entry. The lists come from --status-list URL=FILE (the list
published at URL, from a local FILE as "credence status publish" printed it) or, with
--allow-network, are fetched over HTTPS. Each list's signature must verify with a key
of the credential's issuer (resolved as "credence verify" does, --did-document
included), it must be of that issuer and purpose and valid at --at (default now).

Exit code 0 when no entry is revoked or suspended; 1 otherwise, or when a list cannot
be had or verified. The credential's own signature is NOT checked here: use
"credence verify", which checks the status too.`

func cmdStatusCheck(ctx context.Context, e *env, args []string) error {
	f := newFlags("status check", statusCheckUsage)
	var lists, docs, algs multi
	f.Var(&lists, "status-list", "serve the status list at `URL=FILE` from FILE (repeatable)")
	f.Var(&docs, "did-document", "a DID document `FILE` to resolve locally (repeatable)")
	net := addNetFlags(f, "status list fetches and did:web resolution")
	at := f.String("at", "", "check at this RFC 3339 `TIME` instead of now")
	f.Var(&algs, "alg", "allow this `ALGORITHM` (repeatable; default EdDSA, ES256, ES384)")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one credential file (or -), got %d arguments", len(pos))
	}
	if err := net.check(); err != nil {
		return err
	}
	clock := time.Now
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usagef("--at: %v", err)
		}
		clock = func() time.Time { return t }
	}
	fetch, err := statusFetcher(e, lists, *net.allow)
	if err != nil {
		return err
	}
	if fetch == nil {
		return usagef("give the status lists with --status-list URL=FILE, or --allow-network")
	}
	reg, err := registryFromFiles(e, docs, net)
	if err != nil {
		return err
	}
	if len(algs) == 0 {
		algs = multi{keys.EdDSA, keys.ES256, keys.ES384}
	}
	v, err := vc.NewVerifier(vc.VerifierOptions{Resolver: reg, AcceptAnyIssuer: true, SkipStatus: true, Clock: clock, Algorithms: algs})
	if err != nil {
		return err
	}
	checker, err := status.NewChecker(status.CheckerOptions{
		Fetch: fetch, Clock: clock, ClockSkew: vc.DefaultClockSkew,
		VerifyBitstring: func(ctx context.Context, raw []byte, _ string) ([]byte, error) {
			// The checker compares the list's issuer with the credential's.
			got, err := v.VerifyCredential(ctx, raw)
			if err != nil {
				return nil, err
			}
			return json.Marshal(got.Claims())
		},
		VerifyToken: func(ctx context.Context, raw []byte, issuer string) ([]byte, error) {
			return v.VerifyStatusListToken(ctx, raw, issuer)
		},
	})
	if err != nil {
		return err
	}
	data, err := readInput(e, pos[0])
	if err != nil {
		return err
	}
	in, err := vc.Inspect(data)
	if err != nil {
		return err
	}
	if in.Presentation != nil {
		return fmt.Errorf("%s holds a presentation, not a credential: %w", displayName(pos[0]), vc.ErrInvalidType)
	}
	type entryReport struct {
		Kind    string `json:"kind"`
		Purpose string `json:"purpose,omitempty"`
		List    string `json:"list"`
		Index   int    `json:"index"`
		Value   uint8  `json:"value"`
		Status  string `json:"status,omitempty"`
	}
	var report []entryReport
	switch {
	case in.Credential != nil && len(in.Credential.Status) > 0:
		m, err := in.Credential.Map()
		if err != nil {
			return err
		}
		raw, err := json.Marshal(m["credentialStatus"])
		if err != nil {
			return err
		}
		entries, err := status.ParseBitstringEntries(raw)
		if err != nil {
			return err
		}
		res, err := checker.CheckBitstring(ctx, entries, in.Credential.Issuer.ID)
		if err != nil {
			return err
		}
		for _, s := range res.Entries {
			report = append(report, entryReport{Kind: listKindBitstring, Purpose: s.Purpose, List: s.ListCredential,
				Index: s.Index, Value: s.Value, Status: s.Message})
		}
	case in.Claims["status"] != nil && in.Credential == nil:
		raw, err := json.Marshal(in.Claims["status"])
		if err != nil {
			return err
		}
		ref, err := status.ParseTokenReference(raw)
		if err != nil {
			return err
		}
		st, err := checker.CheckToken(ctx, ref, in.Issuer)
		if err != nil {
			return err
		}
		report = append(report, entryReport{Kind: listKindToken, List: ref.URI, Index: ref.Index, Value: uint8(st), Status: st.String()})
	default:
		return fmt.Errorf("%s declares no status: %w", displayName(pos[0]), vc.ErrNotFound)
	}
	e.log.Info("status checked", "entries", len(report))
	if e.json {
		return writeJSON(e.stdout, struct {
			OK      bool          `json:"ok"`
			Entries []entryReport `json:"entries"`
		}{true, report})
	}
	for _, r := range report {
		what := r.Purpose
		if r.Kind == listKindToken {
			what = "token status"
		}
		msg := ""
		if r.Status != "" {
			msg = " (" + r.Status + ")"
		}
		fmt.Fprintf(e.stdout, "%s: index %d of %s is %d%s: neither revoked nor suspended\n", what, r.Index, r.List, r.Value, msg)
	}
	return nil
}

// statusEntryFor allocates an index of the list in name for a new credential and returns
// the entry: for format sd-jwt a Token Status List status claim, otherwise a
// credentialStatus entry.
func statusEntryFor(ctx context.Context, e *env, name string, sdJWT bool) (json.RawMessage, error) {
	l, err := loadList(e, name)
	if err != nil {
		return nil, err
	}
	switch {
	case sdJWT && l.tok == nil:
		return nil, usagef("--status: an SD-JWT VC takes a Token Status List (status create --token)")
	case !sdJWT && l.tok != nil:
		return nil, usagef("--status: a Token Status List is for --format sd-jwt; use a Bitstring Status List")
	}
	_, entry, err := allocate(ctx, e, name, l)
	return entry, err
}
