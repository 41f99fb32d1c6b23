package pex

// WithLibraryFilters returns a copy of def whose filters all go to the JSON Schema
// library, for comparing with the compiled checks.
func WithLibraryFilters(def *Definition) *Definition {
	d := *def
	d.InputDescriptors = make([]InputDescriptor, len(def.InputDescriptors))
	for i, id := range def.InputDescriptors {
		id.Fields = append([]Field(nil), id.Fields...)
		for j := range id.Fields {
			id.Fields[j].check = nil
		}
		d.InputDescriptors[i] = id
	}
	return &d
}
