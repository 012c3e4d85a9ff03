package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"mppmap/data/datatest"
)

// The helpers here serve the operations tests (faults_test.go, nginx_test.go): a PostgreSQL
// cluster a test may stop and start, the mppmap binary run as a deployment runs it (`import`
// once, several `serve` processes), and what an operator reads from them.

// ownCluster is a throwaway PostgreSQL + PostGIS cluster of one test (scripts/testdb.sh), apart
// from the shared test cluster: stopping the shared one would break every other package's tests.
type ownCluster struct {
	dir, script, admin string
}

// newOwnCluster starts a cluster in a new directory under /tmp — not t.TempDir(), whose 0700
// parents the postgres OS user (the cluster's owner when we run as root) cannot traverse — and
// stops and deletes it when the test ends. Without PostgreSQL's binaries the test skips, except
// under CI.
func newOwnCluster(t *testing.T) *ownCluster {
	t.Helper()
	if os.Getenv(datatest.EnvURL) == "" && os.Getenv("CI") == "" {
		t.Skipf("%s not set; run `make test` for the database tests", datatest.EnvURL)
	}
	dir, err := os.MkdirTemp("", "mppmap-e2e-pg.")
	if err != nil {
		t.Fatal(err)
	}
	c := &ownCluster{dir: dir, script: filepath.Join(moduleRoot(t), "scripts", "testdb.sh")}
	out, err := exec.Command(c.script, "start", dir).Output()
	if err != nil {
		t.Fatalf("testdb.sh start: %v\n%s", err, exitStderr(err))
	}
	c.admin = strings.TrimSpace(string(out))
	t.Cleanup(func() { _ = exec.Command(c.script, "stop", dir).Run() })
	return c
}

// createDB creates database name and returns its URL.
func (c *ownCluster) createDB(t *testing.T, name string) string {
	t.Helper()
	c.exec(t, "postgres", "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return strings.Replace(c.admin, "/postgres?", "/"+name+"?", 1)
}

// exec runs one statement in database db.
func (c *ownCluster) exec(t *testing.T, db, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, strings.Replace(c.admin, "/postgres?", "/"+db+"?", 1))
	if err != nil {
		t.Fatalf("connect to %s: %v", db, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// pause stops the server (fast shutdown: sessions are terminated, as in a failover or a
// restart for an upgrade); resume starts it again on the same socket and data.
func (c *ownCluster) pause(t *testing.T) {
	t.Helper()
	if err := exec.Command(c.script, "pause", c.dir).Run(); err != nil {
		t.Fatalf("testdb.sh pause: %v\n%s", err, exitStderr(err))
	}
}

func (c *ownCluster) resume(t *testing.T) {
	t.Helper()
	if err := exec.Command(c.script, "resume", c.dir).Run(); err != nil {
		t.Fatalf("testdb.sh resume: %v\n%s", err, exitStderr(err))
	}
}

func exitStderr(err error) []byte {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.Stderr
	}
	return nil
}

// runImport runs `mppmap import -data dir` as an operator does and returns its output.
func runImport(t *testing.T, bin, dbURL, dir string) string {
	t.Helper()
	cmd := exec.Command(bin, "import", "-data", dir, "-log-level", "warn")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mppmap import -data %s: %v\n%s", dir, err, tail(out, 4000))
	}
	return string(out)
}

// serveProc is one `mppmap serve` process that a test may kill.
type serveProc struct {
	name    string
	base    string // http://127.0.0.1:port
	metrics string // http://127.0.0.1:port/metrics
	logPath string
	cmd     *exec.Cmd
	exited  chan error
}

// startServe starts `mppmap serve` on dbURL with a metrics listener and waits until it is
// ready; the log goes to the artifacts directory as <name>.log. It is stopped (SIGINT, then
// SIGKILL) when the test ends, unless the test killed it before.
func startServe(t *testing.T, bin, dbURL, name string, extra ...string) *serveProc {
	t.Helper()
	in := launchServe(t, bin, dbURL, name, extra...)
	in.waitReady(t)
	return in
}

// launchServe starts the process without waiting for it (several instances start at once).
func launchServe(t *testing.T, bin, dbURL, name string, extra ...string) *serveProc {
	t.Helper()
	addr, maddr := freeAddr(t), freeAddr(t)
	in := &serveProc{name: name, base: "http://" + addr, metrics: "http://" + maddr + "/metrics",
		logPath: filepath.Join(artifactsDir(t), name+".log"), exited: make(chan error, 1)}
	logFile, err := os.Create(in.logPath)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"serve", "-addr", addr, "-metrics-addr", maddr}, extra...)
	in.cmd = exec.Command(bin, args...)
	in.cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	in.cmd.Stdout, in.cmd.Stderr = logFile, logFile
	if err := in.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { in.exited <- in.cmd.Wait(); close(in.exited) }()
	t.Cleanup(func() {
		_ = in.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-in.exited:
		case <-time.After(20 * time.Second):
			_ = in.cmd.Process.Kill()
			<-in.exited
		}
		logFile.Close()
	})
	return in
}

func (in *serveProc) waitReady(t *testing.T) {
	t.Helper()
	if err := waitReady(in.base, in.exited); err != nil {
		t.Fatalf("%s not ready: %v\n--- %s ---\n%s", in.name, err, in.logPath, tail(in.log(), 4000))
	}
}

// kill sends SIGKILL and waits until the process is gone.
func (in *serveProc) kill(t *testing.T) {
	t.Helper()
	if err := in.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill %s: %v", in.name, err)
	}
	<-in.exited
}

func (in *serveProc) log() []byte {
	b, _ := os.ReadFile(in.logPath)
	return b
}

// readiness is /readyz's body (cmd/mppmap readyBody).
type readiness struct {
	Ready       bool   `json:"ready"`
	Database    string `json:"database"`
	DatabaseErr string `json:"database_error"`
	LoadedAt    string `json:"read_model_loaded_at"`
	Reloads     int    `json:"reloads"`
	Failures    int    `json:"reload_failures"`
	LastReload  string `json:"last_reload"`
	Listening   bool   `json:"change_listener"`
	status      int
}

func (in *serveProc) readyz(t *testing.T) readiness {
	t.Helper()
	var r readiness
	res, body := get(t, in.base+"/readyz", nil)
	r.status = res.StatusCode
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("/readyz: %v: %s", err, body)
	}
	return r
}

// await polls cond every 50 ms until it holds or limit passes, and returns how long it took.
func await(t *testing.T, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("after %s: still not %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return time.Since(start)
}

// get fetches url with the given header pairs, failing the test on a transport error.
func get(t *testing.T, url string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return res, body
}

// regionStatus is the status the API gives a region.
func regionStatus(t *testing.T, base, code string) string {
	t.Helper()
	res, body := get(t, base+"/api/v1/regions/"+code, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/api/v1/regions/%s: %s", code, res.Status)
	}
	var v struct {
		Region struct {
			Status string `json:"status"`
		} `json:"region"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	return v.Region.Status
}

// refCopy copies the reference folder src into a new directory under parent and applies edits:
// path → function from the file's content to its new content.
func refCopy(t *testing.T, parent, src string, edits map[string]func(string) string) string {
	t.Helper()
	dst, err := os.MkdirTemp(parent, "refdata.")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatalf("copy reference data: %v", err)
	}
	for rel, edit := range edits {
		p := filepath.Join(dst, rel)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out := edit(string(b))
		if out == string(b) {
			t.Fatalf("edit of %s changed nothing", rel)
		}
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// replaceRow replaces the CSV row whose first field is key.
func replaceRow(key, row string) func(string) string {
	return func(s string) string {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, key+",") {
				lines[i] = row
			}
		}
		return strings.Join(lines, "\n")
	}
}

// dbChecksum is a row count and a digest of every row of every table of the public schema:
// equal checksums mean equal contents.
func dbChecksum(t *testing.T, dbURL string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, tb := range tables {
		var n int64
		var sum string
		q := `SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') FROM (SELECT md5(t::text) AS h FROM ` +
			pgx.Identifier{tb}.Sanitize() + ` t) x`
		if err := conn.QueryRow(ctx, q).Scan(&n, &sum); err != nil {
			t.Fatalf("checksum %s: %v", tb, err)
		}
		sums[tb] = fmt.Sprintf("%d rows %s", n, sum)
	}
	return sums
}

// scrape returns the text of a metrics endpoint.
func scrape(t *testing.T, url string) []byte {
	t.Helper()
	res, body := get(t, url, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, res.Status, body)
	}
	return body
}

// metricLines returns the sample lines of text that start with prefix.
func metricLines(text []byte, prefix string) []string {
	var out []string
	for _, l := range bytes.Split(text, []byte("\n")) {
		if bytes.HasPrefix(l, []byte(prefix)) {
			out = append(out, string(l))
		}
	}
	return out
}
