package localpg

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestLocalFallbackDirIsStable(t *testing.T) {
	fd := func(dir string) string { return FallbackDir(DefaultFallbackRoot, dir) }
	a := fd("/root/src/mppmap/.mppmap")
	if a != fd("/root/src/mppmap/.mppmap/") || a != fd("/root/src/mppmap/x/../.mppmap") {
		t.Errorf("the same directory maps to different fallbacks")
	}
	if a == fd("/root/src/other/.mppmap") {
		t.Errorf("two directories share the fallback %s", a)
	}
	if filepath.Dir(a) != DefaultFallbackRoot || len(filepath.Base(a)) != 12 {
		t.Errorf("fallback %s, want %s/<12 hex digits>", a, DefaultFallbackRoot)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// rootWithPostgres skips unless the test runs as root with a postgres OS user and the server
// binaries installed, and returns those binaries.
func rootWithPostgres(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the fallback applies only when running as root")
	}
	if _, err := user.Lookup("postgres"); err != nil {
		t.Skip("no postgres OS user")
	}
	bin, err := Find(os.Getenv("PG_BINDIR"))
	if err != nil {
		t.Skipf("PostgreSQL not installed: %v", err)
	}
	return bin
}

// unreachableDir is a directory under a root-owned mode-700 parent, like a clone under /root,
// and a fresh fallback root the postgres user can reach (created by Start).
func unreachableDir(t *testing.T) (requested, fallbackRoot string) {
	t.Helper()
	private := filepath.Join(t.TempDir(), "home")
	if err := os.Mkdir(private, 0o700); err != nil {
		t.Fatal(err)
	}
	root, err := os.MkdirTemp("", "mppmap-fallback-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	return filepath.Join(private, "clone", ".mppmap"), filepath.Join(root, "var-lib-mppmap")
}

func TestLocalFallbackWhenPostgresCannotReachTheDir(t *testing.T) {
	bin := rootWithPostgres(t)
	requested, fallbackRoot := unreachableDir(t)
	ctx := context.Background()
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	start := func() *Cluster {
		t.Helper()
		c, err := New(requested, bin, log)
		if err != nil {
			t.Fatal(err)
		}
		c.FallbackRoot = fallbackRoot
		if err := c.Start(ctx); err != nil {
			t.Fatalf("Start: %v\n%s", err, logs.String())
		}
		t.Cleanup(func() { c.Stop(ctx) })
		return c
	}
	c := start()
	want := FallbackDir(fallbackRoot, requested)
	if c.Dir != want || c.Requested != requested || filepath.Dir(want) != fallbackRoot {
		t.Fatalf("cluster in %s (requested %s), want %s", c.Dir, c.Requested, want)
	}
	if _, err := os.Stat(filepath.Join(want, "pg", "PG_VERSION")); err != nil {
		t.Errorf("no cluster in the fallback: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(requested, "CLUSTER_LOCATION.txt")); err != nil || !strings.Contains(string(b), want) {
		t.Errorf("no pointer to %s in the requested directory: %q, %v", want, b, err)
	}
	if l := logs.String(); !strings.Contains(l, "cannot reach the data directory") || !strings.Contains(l, "cluster="+want) {
		t.Errorf("the log does not say where the cluster lives:\n%s", l)
	}
	ping := func(c *Cluster) {
		t.Helper()
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS kept (x int)`); err != nil {
			t.Fatal(err)
		}
	}
	ping(c)
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}

	// A restart with the same requested directory finds the same cluster: no second initdb.
	inits := strings.Count(logs.String(), "initialising private PostgreSQL cluster")
	c2 := start()
	if c2.Dir != want {
		t.Errorf("restart: cluster in %s, want %s", c2.Dir, want)
	}
	if n := strings.Count(logs.String(), "initialising private PostgreSQL cluster"); n != inits {
		t.Errorf("restart ran initdb again")
	}
	conn, err := pgx.Connect(ctx, c2.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename = 'kept'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the table made before the restart is gone: %d, %v", n, err)
	}
}

// A cluster that already exists where postgres cannot reach it is an error, not a silent fresh
// cluster elsewhere that would hide its data.
func TestLocalExistingUnreachableClusterIsAnError(t *testing.T) {
	bin := rootWithPostgres(t)
	requested, fallbackRoot := unreachableDir(t)
	if err := os.MkdirAll(filepath.Join(requested, "pg"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(requested, "pg", "PG_VERSION"), []byte("15\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := New(requested, bin, slog.New(slog.NewTextHandler(&lockedBuffer{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	c.FallbackRoot = fallbackRoot
	err = c.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "a cluster exists in "+requested) {
		t.Errorf("Start: %v", err)
	}
	if _, err := os.Stat(FallbackDir(fallbackRoot, requested)); err == nil {
		t.Errorf("a fallback cluster was created next to the existing one")
	}
}
