package jsonx_test

import (
	"errors"
	"fmt"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
)

func ExampleDecode() {
	v, err := jsonx.Decode([]byte(`{"name":"Ada","balance":12345678901234567890123}`), jsonx.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	m := v.(map[string]any)
	fmt.Println(m["name"], m["balance"])

	// "\u0061" is "a": a second member of the same name is rejected.
	_, err = jsonx.Decode([]byte(`{"a":1,"\u0061":2}`), jsonx.Limits{})
	fmt.Println(errors.Is(err, errs.ErrMalformed))
	// Output:
	// Ada 12345678901234567890123
	// true
}
