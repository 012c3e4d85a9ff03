package golden

import (
	"os/exec"
	"strings"
	"testing"
)

// Every package with tests imports golden (for -update); a new one that does not would make
// `go test ./... -update` fail with "flag provided but not defined".
func TestEveryTestedPackageHasTheFlag(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}} {{join .TestImports ","}},{{join .XTestImports ","}}{{end}}`, "mppmap/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		if pkg == "" || pkg == "mppmap/golden" {
			continue
		}
		n++
		if !strings.Contains(","+imports+",", ",mppmap/golden,") {
			t.Errorf("%s has tests but does not import mppmap/golden: `go test ./... -update` would fail there", pkg)
		}
	}
	if n < 10 {
		t.Errorf("only %d tested packages found", n)
	}
}
