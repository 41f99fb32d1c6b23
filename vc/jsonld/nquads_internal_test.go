package jsonld

import (
	"strings"
	"testing"
)

func TestForbiddenInIRI(t *testing.T) {
	for c := range 256 {
		want := c <= 0x20 || strings.ContainsRune(`<>"{}|^`+"`"+`\`, rune(c))
		if got := forbiddenInIRI(byte(c)); got != want {
			t.Errorf("forbiddenInIRI(%#x) = %v, want %v", c, got, want)
		}
	}
}
