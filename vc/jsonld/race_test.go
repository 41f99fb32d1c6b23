//go:build race

package jsonld_test

// timeScale multiplies the time limits of the tests (never their work limits): the race
// detector slows canonicalization down five to twenty times, more on a loaded machine.
const timeScale = 20
