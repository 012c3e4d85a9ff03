package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mppmap/data/datatest"
)

// readyTimeout is generous: the first start imports the reference data, geometry cleaning
// included, before /readyz answers 200.
const readyTimeout = 3 * time.Minute

// startServer returns the base URL of a running mppmap: MPPMAP_E2E_URL if set, otherwise a
// freshly built binary serving a fresh database, stopped when the test ends.
func startServer(t *testing.T) string {
	t.Helper()
	if u := os.Getenv("MPPMAP_E2E_URL"); u != "" {
		return strings.TrimRight(u, "/")
	}
	dbURL, _ := datatest.NewDB(t)
	refData := hostileRefData(t, datatest.RefData(t))
	return startInstance(t, buildMppmap(t), dbURL, refData, "server").base
}

// waitReady polls /readyz until it answers 200, the server exits, or readyTimeout passes.
func waitReady(base string, exited <-chan error) error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	client := &http.Client{Timeout: 5 * time.Second}
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	last := "no answer yet"
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if res, err := client.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			last = res.Status
		} else {
			last = err.Error()
		}
		select {
		case err := <-exited:
			return fmt.Errorf("server exited: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("no 200 from /readyz within %s (last: %s)", readyTimeout, last)
		case <-tick.C:
		}
	}
}

// moduleRoot is the directory of mppmap's go.mod, wherever the test runs from.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatal("go env GOMOD: not inside the mppmap module")
	}
	return filepath.Dir(gomod)
}

// freeAddr returns a loopback address with a port nobody listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// artifactsDir is where screenshots and the server log go: MPPMAP_ARTIFACTS, or a temp dir.
func artifactsDir(t *testing.T) string {
	t.Helper()
	d := os.Getenv("MPPMAP_ARTIFACTS")
	if d == "" {
		return t.TempDir()
	}
	d = filepath.Join(d, "e2e")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		b = b[len(b)-n:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return b
}

// hostileName is the name the served data gives region hostileCode: every page and tooltip
// must show it as text, and no dialog may open.
const (
	hostileName = `<img src=x onerror=alert(1)>`
	hostileCode = "11.01"
)

// hostileRefData copies the reference folder and renames region hostileCode to hostileName in
// codes/kabkota.csv (the importer only warns that other files spell it differently).
func hostileRefData(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "refdata")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatalf("copy reference data: %v", err)
	}
	path := filepath.Join(dst, "codes", "kabkota.csv")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	found := false
	for i, l := range lines {
		if rest, ok := strings.CutPrefix(l, hostileCode+","); ok {
			_, after, _ := strings.Cut(rest, ",")
			lines[i] = hostileCode + ",\"" + hostileName + "\"," + after
			found = true
		}
	}
	if !found {
		t.Fatalf("%s has no region %s", path, hostileCode)
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}
