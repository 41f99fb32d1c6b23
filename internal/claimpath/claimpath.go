// Package claimpath reads the components of claims paths, as SD-JWT presentations and
// DCQL queries write them: a string selects an object member, a non-negative integer an
// array element, nil every element.
package claimpath

import (
	"encoding/json"
	"math"
	"strconv"
)

// Index returns the array index a path component stands for: any Go integer type, a
// float64 with an integral value (encoding/json's numbers) or a json.Number holding an
// integer, from 0 to math.MaxInt32. Anything else is not an index.
func Index(c any) (int, bool) {
	var n int64
	switch v := c.(type) {
	case int:
		n = int64(v)
	case int8:
		n = int64(v)
	case int16:
		n = int64(v)
	case int32:
		n = int64(v)
	case int64:
		n = v
	case uint:
		if uint64(v) > math.MaxInt32 {
			return 0, false
		}
		n = int64(v)
	case uint8:
		n = int64(v)
	case uint16:
		n = int64(v)
	case uint32:
		n = int64(v)
	case uint64:
		if v > math.MaxInt32 {
			return 0, false
		}
		n = int64(v)
	case float64:
		if v != math.Trunc(v) || v < 0 || v > math.MaxInt32 {
			return 0, false
		}
		n = int64(v)
	case json.Number:
		i, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			return 0, false
		}
		n = i
	default:
		return 0, false
	}
	if n < 0 || n > math.MaxInt32 {
		return 0, false
	}
	return int(n), true
}
