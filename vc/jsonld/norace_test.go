//go:build !race

package jsonld_test

// timeScale multiplies the time limits of the tests (never their work limits): 1 in a
// normal build, where the limits are the requirements themselves.
const timeScale = 1
