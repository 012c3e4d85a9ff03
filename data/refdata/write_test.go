package refdata

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWriteRealDataByteIdentical: every ledger file of the reference release comes back byte for
// byte from what Load read (header, column order, quoting, CRLF or LF, final line ending, date
// notation), and Write writes exactly the ledger files the release has.
func TestWriteRealDataByteIdentical(t *testing.T) {
	dir := realData(t)
	ds, err := Load(dir)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	out := t.TempDir()
	written, err := Write(out, ds)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	var paths []string
	for _, w := range written {
		paths = append(paths, w.Path)
		compareFiles(t, filepath.Join(dir, w.Path), filepath.Join(out, w.Path))
	}
	var want []string
	for _, p := range LedgerFiles() {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			want = append(want, p)
		}
	}
	slices.Sort(paths)
	slices.Sort(want)
	if !slices.Equal(paths, want) {
		t.Errorf("Write wrote %v; the release has the ledger files %v", paths, want)
	}
}

// compareFiles fails with the first differing line when the two files' bytes differ.
func compareFiles(t *testing.T, want, got string) {
	t.Helper()
	a, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		return
	}
	la, lb := bytes.SplitAfter(a, []byte("\n")), bytes.SplitAfter(b, []byte("\n"))
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y []byte
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs from %s at line %d:\nwant %q\ngot  %q", got, want, i+1, x, y)
			return
		}
	}
}

// TestWriteFixtureRoundTrip: Load → Write → Load → Write is stable on the synthetic folder, whose
// files were not written by Write (LF line endings in mpp/), and the second Load reads the same
// ledger.
func TestWriteFixtureRoundTrip(t *testing.T) {
	dir := fixture(t)
	ds1, err := Load(dir)
	if err != nil {
		t.Fatalf("Load fixture: %v", err)
	}
	if _, err := Write(t.TempDir(), ds1); err != nil {
		t.Fatalf("Write: %v", err)
	}
	// The fixture with its ledger replaced by what Write made of it.
	dir2 := fixture(t)
	for _, p := range LedgerFiles() {
		os.Remove(filepath.Join(dir2, p))
	}
	w1, err := Write(dir2, ds1)
	if err != nil {
		t.Fatal(err)
	}
	ds2, err := Load(dir2)
	if err != nil {
		t.Fatalf("Load of written ledger: %v", err)
	}
	out := t.TempDir()
	w2, err := Write(out, ds2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w1, w2) {
		t.Errorf("first Write %v, second %v", w1, w2)
	}
	for _, w := range w2 {
		compareFiles(t, filepath.Join(dir2, w.Path), filepath.Join(out, w.Path))
	}
	if len(ds1.Sites) != len(ds2.Sites) || len(ds1.Sources) != len(ds2.Sources) || len(ds1.Statuses) != len(ds2.Statuses) {
		t.Errorf("second Load has %d sites, %d sources, %d statuses; first %d, %d, %d",
			len(ds2.Sites), len(ds2.Sources), len(ds2.Statuses), len(ds1.Sites), len(ds1.Sources), len(ds1.Statuses))
	}
}

// TestWriteWhichFiles: an optional file absent from the folder is written only once it has rows,
// and the derived status summary never is; required files always are.
func TestWriteWhichFiles(t *testing.T) {
	ds, err := Load(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	var kept []FileInfo
	for _, f := range ds.Files {
		if f.Path != FileTargets && f.Path != FileStatusByProvince && f.Path != FileDigitalPilots {
			kept = append(kept, f)
		}
	}
	ds.Files = kept
	ds.Targets = append(ds.Targets, Target{ID: "T99", SetBy: "a steward", Target: "every kab/kota"})
	ds.DigitalPilots = nil
	written, err := Write(t.TempDir(), ds)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, w := range written {
		got[w.Path] = true
	}
	for _, p := range RequiredFiles {
		if !got[p] && p != FileKabkotaGeoJSON {
			t.Errorf("required %s not written", p)
		}
	}
	if !got[FileTargets] {
		t.Errorf("%s not written although it has a row", FileTargets)
	}
	if got[FileStatusByProvince] || got[FileDigitalPilots] {
		t.Errorf("wrote %s or %s, which the folder did not have: %v", FileStatusByProvince, FileDigitalPilots, written)
	}
}

// TestWriteRefusesValuesThatWouldChange: a value with white space at an end (Load trims it) or a
// carriage return is an error naming file, row and column; nothing else is written after it.
func TestWriteRefusesValuesThatWouldChange(t *testing.T) {
	for _, tc := range []struct {
		name, value string
	}{
		{"trailing space", "Release A "},
		{"leading tab", "\tRelease A"},
		{"carriage return", "Release\rA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := Load(fixture(t))
			if err != nil {
				t.Fatal(err)
			}
			ds.Sources[0].Description = tc.value
			_, err = Write(t.TempDir(), ds)
			if !errors.Is(err, ErrCell) {
				t.Fatalf("Write = %v, want ErrCell", err)
			}
			for _, want := range []string{FileSources, "row 2", "column description"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

// TestLedgerLayouts: every ledger file has one layout, with distinct columns of which some are
// required (the readers take their required columns from the layouts), and IsLedgerFile agrees.
func TestLedgerLayouts(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range ledger() {
		if seen[f.path] {
			t.Errorf("%s has two layouts", f.path)
		}
		seen[f.path] = true
		cols := map[string]bool{}
		for _, c := range f.cols {
			if cols[c.name] {
				t.Errorf("%s: column %s twice", f.path, c.name)
			}
			cols[c.name] = true
		}
		if len(f.required()) == 0 {
			t.Errorf("%s: no required column", f.path)
		}
	}
	if !IsLedgerFile(FileStatus) || IsLedgerFile(FileKabkotaGeoJSON) || IsLedgerFile(FileRegionFiscal) {
		t.Error("IsLedgerFile disagrees with the ledger")
	}
}
