package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/credence-dev/credence/vc"
)

// Limits on YAML input, which is converted to JSON before anything else reads it: the
// library's own limits for JSON credentials (1 MiB, 64 levels), and a bound on the
// number of values so that a small document cannot make a large one.
const (
	maxYAMLBytes = 1 << 20
	maxYAMLDepth = 64
	maxYAMLNodes = 100_000
)

// isYAML decides whether the input of issue is YAML: --input says so, or else the file
// name ends in .yaml or .yml, or else the content does not start as a JSON object does.
func isYAML(input, name string, data []byte) (bool, error) {
	switch input {
	case "json":
		return false, nil
	case "yaml":
		return true, nil
	case "":
	default:
		return false, usagef("--input must be json or yaml, not %q", input)
	}
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") {
		return true, nil
	}
	if strings.HasSuffix(lower, ".json") {
		return false, nil
	}
	return !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")), nil
}

// yamlToJSON converts one YAML document to JSON, strictly: anchors, aliases, merge keys
// and explicit tags other than the core schema's are refused (so there is no alias
// expansion to bound), a mapping may not repeat a key, keys must be scalars, and
// integers must fit in 64 bits. Timestamps stay the strings they were written as.
// Errors wrap vc.ErrMalformed, vc.ErrTooLarge or vc.ErrTooDeep.
func yamlToJSON(data []byte) ([]byte, error) {
	if len(data) > maxYAMLBytes {
		return nil, fmt.Errorf("YAML input of %d bytes, more than %d: %w", len(data), maxYAMLBytes, vc.ErrTooLarge)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("empty YAML input: %w", vc.ErrMalformed)
		}
		return nil, fmt.Errorf("reading YAML: %s: %w", oneLine(err.Error()), vc.ErrMalformed)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("YAML input holds more than one document: %w", vc.ErrMalformed)
	}
	c := &yamlConverter{budget: maxYAMLNodes}
	v, err := c.value(&doc, 0)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("YAML value cannot be JSON: %v: %w", err, vc.ErrMalformed)
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

type yamlConverter struct {
	budget int
}

func yamlErr(n *yaml.Node, format string, a ...any) error {
	return fmt.Errorf("YAML line %d: %s: %w", n.Line, fmt.Sprintf(format, a...), vc.ErrMalformed)
}

func (c *yamlConverter) value(n *yaml.Node, depth int) (any, error) {
	if depth > maxYAMLDepth {
		return nil, fmt.Errorf("YAML nested more than %d levels: %w", maxYAMLDepth, vc.ErrTooDeep)
	}
	if c.budget--; c.budget < 0 {
		return nil, fmt.Errorf("YAML input has more than %d values: %w", maxYAMLNodes, vc.ErrTooLarge)
	}
	if n.Anchor != "" {
		return nil, yamlErr(n, "anchors are not accepted (&%s)", n.Anchor)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return nil, yamlErr(n, "empty document")
		}
		return c.value(n.Content[0], depth)
	case yaml.AliasNode:
		return nil, yamlErr(n, "aliases are not accepted")
	case yaml.SequenceNode:
		if n.ShortTag() != "!!seq" {
			return nil, yamlErr(n, "tag %s is not accepted", n.ShortTag())
		}
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		if n.ShortTag() != "!!map" {
			return nil, yamlErr(n, "tag %s is not accepted", n.ShortTag())
		}
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, vn := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || k.Anchor != "" {
				return nil, yamlErr(k, "a mapping key must be a plain scalar")
			}
			switch k.ShortTag() {
			case "!!str", "!!int", "!!float", "!!bool", "!!timestamp":
			case "!!merge":
				return nil, yamlErr(k, "merge keys (<<) are not accepted")
			default:
				return nil, yamlErr(k, "a key of tag %s is not accepted", k.ShortTag())
			}
			if _, dup := out[k.Value]; dup {
				return nil, yamlErr(k, "duplicate key %q", k.Value)
			}
			v, err := c.value(vn, depth+1)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, yamlErr(n, "unknown YAML node")
}

// scalar converts a scalar of the YAML 1.2 core schema to its JSON value.
func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!str", "!!timestamp":
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, yamlErr(n, "not a boolean")
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return nil, yamlErr(n, "integer out of range")
		}
		return json.Number(strconv.FormatInt(i, 10)), nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, yamlErr(n, "not a finite number")
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	}
	return nil, yamlErr(n, "tag %s is not accepted", n.ShortTag())
}
