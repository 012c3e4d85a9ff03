package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"mppmap/data/datatest"
	"mppmap/data/localpg"
)

// needPostgres skips without the PostgreSQL/PostGIS server binaries, unless CI is set, where
// their absence is a failure.
func needPostgres(t *testing.T) {
	t.Helper()
	if _, err := localpg.Find(os.Getenv("PG_BINDIR")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and the embedded default cannot run: %v", err)
		}
		t.Skipf("embedded PostgreSQL not available: %v", err)
	}
}

// reachableTempDir is a t.TempDir() that the postgres OS user can reach when we run as root
// (the cluster's files are then owned by postgres; t.TempDir() and its parent are 0700).
func reachableTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		for d := dir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// server is one `mppmap serve` running in the test.
type server struct {
	base   string
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// startServe runs `mppmap serve` on the embedded default (no DATABASE_URL) and waits until
// /readyz answers 200.
func startServe(t *testing.T, pgdata, dataDir string) *server {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{base: "http://" + addr, stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	vars := map[string]string{"MPPMAP_DATA": dataDir, "PG_BINDIR": os.Getenv("PG_BINDIR")}
	go func() {
		s.done <- run(ctx, []string{"serve", "-pgdata", pgdata, "-addr", addr}, env(vars), nil, io.Discard, s.stderr)
	}()
	// Whatever happens, stop the server (and with it the cluster) before the test's files go.
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(time.Minute):
		}
	})
	deadline := time.Now().Add(5 * time.Minute) // the first start imports the real data
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case err := <-s.done:
			s.done <- err
			t.Fatalf("serve returned before it was ready: %v\n%s", err, s.stderr.String())
		default:
		}
		if resp, err := client.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz not 200 within 5 minutes\n%s", s.stderr.String())
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// stop cancels the context (what SIGINT/SIGTERM do in main) and returns run's result.
func (s *server) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return err
	case <-time.After(time.Minute):
		t.Fatalf("serve did not return within a minute of cancellation\n%s", s.stderr.String())
		return nil
	}
}

func (s *server) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Get(s.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, body
}

// postmasterPID reads the server's pid from postmaster.pid.
func postmasterPID(t *testing.T, pg string) int {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(pg, "postmaster.pid"))
	if err != nil {
		t.Fatalf("cluster not running: %v", err)
	}
	pid, err := strconv.Atoi(strings.SplitN(string(raw), "\n", 2)[0])
	if err != nil {
		t.Fatalf("postmaster.pid: %v", err)
	}
	return pid
}

func assertStopped(t *testing.T, pg string, pid int) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pg, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid still there after shutdown (%v)", err)
	}
	// pg_ctl stop returns once postmaster.pid is gone, which the server removes just before it
	// exits; then its parent (init) reaps it. Give that a moment; a zombie has already exited.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if !processAlive(pid) {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("PostgreSQL server process %d still running 10 s after shutdown", pid)
			return
		}
	}
}

// processAlive says whether pid exists and is not a zombie.
func processAlive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return !errors.Is(err, os.ErrNotExist)
	}
	// "pid (comm) state ...": the state follows the last ')'.
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z' && stat[i+2] != 'X'
	}
	return true
}

// TestServeEmbedded runs the command as a user meets it: `mppmap serve` with no DATABASE_URL
// initialises a private cluster, imports the reference data once, serves, and stops everything
// on SIGINT; a second start on the same directory reuses the data without importing.
//
// This is the one test that imports the real data through the command; it takes 20–30 s.
func TestServeEmbedded(t *testing.T) {
	needPostgres(t)
	if testing.Short() {
		t.Skip("imports the real reference data (20–30 s); skipped in -short mode")
	}
	dataDir := datatest.RefData(t)
	pgdata := filepath.Join(reachableTempDir(t), "mppmap")
	pg := filepath.Join(pgdata, "pg")

	for i, first := range []bool{true, false} {
		name := fmt.Sprintf("start %d", i+1)
		start := time.Now()
		s := startServe(t, pgdata, dataDir)
		t.Logf("%s: ready in %v", name, time.Since(start).Round(time.Millisecond))
		imported := strings.Contains(s.stderr.String(), "importing reference data")
		if first && !imported {
			t.Errorf("%s: the empty database was not imported into:\n%s", name, s.stderr.String())
		}
		// A newcomer watching the first start sees the import progress, stage by stage.
		for _, stage := range []string{"files read and validated", "boundaries cleaned", "level simplified", "tables written"} {
			if first && !strings.Contains(s.stderr.String(), `msg="import: `+stage+`"`) {
				t.Errorf("%s: no progress line for %q on stderr:\n%s", name, stage, s.stderr.String())
			}
		}
		if !first && imported {
			t.Errorf("%s: reference data imported again on an existing cluster:\n%s", name, s.stderr.String())
		}
		for _, path := range []string{"/", "/api/v1/regions.geojson?detail=national"} {
			code, body := s.get(t, path)
			if code != http.StatusOK {
				t.Errorf("%s: GET %s = %d: %.300s", name, path, code, body)
			}
			if strings.HasPrefix(path, "/api/") && !strings.Contains(string(body), `"FeatureCollection"`) {
				t.Errorf("%s: GET %s is not a FeatureCollection: %.300s", name, path, body)
			}
		}
		pid := postmasterPID(t, pg)
		if err := s.stop(t); err != nil {
			t.Fatalf("%s: serve returned %v after cancellation, want nil\n%s", name, err, s.stderr.String())
		}
		assertStopped(t, pg, pid)
		if t.Failed() {
			return
		}
	}
}
