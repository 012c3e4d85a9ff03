// Package golden compares test output with files kept in a package's testdata and rewrites them
// with `go test ./... -update`. It registers the -update flag: every package with tests imports
// it (for the flag alone, blank, where it has no golden files), because go test passes -update
// to every test binary of ./... and one that does not define it fails.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update says golden files are to be rewritten from what the tests produce.
var Update = flag.Bool("update", false, "rewrite golden files in testdata instead of comparing with them")

// Assert compares got with the golden file at path (relative to the package's directory,
// under testdata/), or rewrites the file with -update. A mismatch reports the first differing
// line and the command that accepts the change.
func Assert(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s: %v (run `go test ./... -update` to write it)", path, err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			t.Errorf("%s differs at line %d:\n got: %.300s\nwant: %.300s\n(if the change is intended: go test ./... -update)", path, i+1, g, w)
			return
		}
	}
}
