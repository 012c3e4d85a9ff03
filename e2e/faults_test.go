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
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"mppmap/data"
	"mppmap/data/datatest"
)

// opsEnv is what the operations tests share: one cluster of their own, one database imported
// once (an import costs 10 s and more on two cores; each further test would pay it again), the binary,
// and the instance that serves it.
type opsEnv struct {
	pg      *ownCluster
	dbURL   string
	bin     string
	refData string // the folder imported last
	tmp     string // lives as long as the whole test (a subtest's TempDir goes with the subtest)
	srv     *serveProc
}

// TestFaults runs mppmap as it is deployed — `mppmap import` once, then `mppmap serve` on
// that database — on a PostgreSQL of its own, and breaks things an operator meets: the database
// going away and coming back, an import killed mid-transaction, a reload that fails; then it
// checks the metrics with promtool and runs two instances behind nginx, killing one under load.
// The subtests run in order on one database; each says what it leaves behind. Durations are
// measured and logged, never asserted: they depend on the machine's load.
func TestFaults(t *testing.T) {
	env := &opsEnv{pg: newOwnCluster(t), bin: buildMppmap(t), tmp: t.TempDir()}
	env.dbURL = env.pg.createDB(t, "mppmap")
	env.refData = datatest.RefData(t)
	start := time.Now()
	runImport(t, env.bin, env.dbURL, env.refData)
	t.Logf("first import of the reference folder: %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	env.srv = startServe(t, env.bin, env.dbURL, "faults-server")
	t.Logf("server ready after %s", time.Since(start).Round(time.Millisecond))

	steps := []struct {
		name string
		run  func(*testing.T, *opsEnv)
	}{
		{"database-outage", testDatabaseOutage},
		{"kill-import", testKillImport},
		{"failing-reload", testFailingReload},
		{"promtool", testPromtool},
		{"nginx-failover", testNginxFailover},
	}
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) { s.run(t, env) }) {
			// Later steps build on what earlier ones leave (a database that is up, the data
			// they imported): running them after a failure would only report that failure again.
			t.Fatalf("%s failed; later steps skipped", s.name)
		}
	}
}

// probe is what a client polling some URLs saw over a period.
type probe struct {
	mu    sync.Mutex
	seen  map[string]map[string]int // url → "200" / "503" / "error: …" / "changed body" → count
	first time.Time
	last  time.Time
}

func (p *probe) add(url, outcome string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen[url] == nil {
		p.seen[url] = map[string]int{}
	}
	p.seen[url][outcome]++
	if p.first.IsZero() {
		p.first = time.Now()
	}
	p.last = time.Now()
}

func (p *probe) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var urls []string
	for u := range p.seen {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	var b strings.Builder
	fmt.Fprintf(&b, "over %s:", p.last.Sub(p.first).Round(time.Millisecond))
	for _, u := range urls {
		fmt.Fprintf(&b, "\n  %-28s %v", u, p.seen[u])
	}
	return b.String()
}

// bad lists the outcomes other than "200" (same body as before).
func (p *probe) bad() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for u, m := range p.seen {
		for o, n := range m {
			if o != "200" {
				out = append(out, fmt.Sprintf("%s: %s ×%d", u, o, n))
			}
		}
	}
	sort.Strings(out)
	return out
}

// watch polls paths of base until ctx ends, comparing every 200 body's ETag with the one
// before: "200" means the same data as before was served.
func watch(ctx context.Context, t *testing.T, base string, paths []string) *probe {
	t.Helper()
	etags := map[string]string{}
	for _, p := range paths {
		res, _ := get(t, base+p, nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("ETag") == "" {
			t.Fatalf("%s before: %s, ETag %q", p, res.Status, res.Header.Get("ETag"))
		}
		etags[p] = res.Header.Get("ETag")
	}
	pr := &probe{seen: map[string]map[string]int{}}
	client := &http.Client{Timeout: 5 * time.Second}
	go func() {
		for ctx.Err() == nil {
			for _, p := range paths {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
				res, err := client.Do(req)
				switch {
				case ctx.Err() != nil:
					return
				case err != nil:
					pr.add(p, "error: "+err.Error())
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				switch {
				case res.StatusCode != http.StatusOK:
					pr.add(p, res.Status)
				case res.Header.Get("ETag") != etags[p]:
					pr.add(p, "200 with another body")
				default:
					pr.add(p, "200")
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return pr
}

// outageHold is how long the database stays down once the instance has noticed.
const outageHold = 5 * time.Second

// testDatabaseOutage stops PostgreSQL under a serving instance: the pages and the API must keep
// answering 200 with the same bodies and /readyz must stay 200 saying the database is down; once
// PostgreSQL is back, the change listener must reconnect by itself and a later import must reach
// the instance. Leaves: the import of refData with region 11.02 in preparation.
func testDatabaseOutage(t *testing.T, env *opsEnv) {
	srv := env.srv
	before := srv.readyz(t)
	if before.Database != "up" || !before.Listening {
		t.Fatalf("before the outage: %+v", before)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	pr := watch(ctx, t, srv.base, []string{"/", "/wilayah/32.73", "/api/v1/regions/32.73"})

	// Writes need the database: a steward's token and a reader's form token made before the stop.
	cli(t, env.bin, env.dbURL, "a long passphrase for the outage\n", "user", "add", "-email", "outage@example.go.id", "-role", "steward", "-password-stdin")
	tokOut := strings.Split(strings.TrimSpace(cli(t, env.bin, env.dbURL, "", "token", "create", "-email", "outage@example.go.id", "-name", "outage")), "\n")
	bearer := "Bearer " + strings.TrimSpace(tokOut[len(tokOut)-1])
	_, tokBody := call(t, http.MethodGet, srv.base+"/api/v1/submissions/token?region=11.02", nil)
	var formToken struct{ Token string }
	_ = json.Unmarshal(tokBody, &formToken)
	res, _ := call(t, http.MethodGet, srv.base+"/api/v1/regions/32.73", nil)
	etag := res.Header.Get("ETag")

	down := time.Now()
	env.pg.pause(t)
	stopped := time.Since(down)
	noticed := await(t, 30*time.Second, "reporting the database down with the listener lost", func() bool {
		r := srv.readyz(t)
		return r.status == http.StatusOK && r.Database == "down" && !r.Listening
	})
	// Writes during the outage: 503 problem+json with Retry-After (reads keep answering 200).
	time.Sleep(time.Until(down.Add(3500 * time.Millisecond))) // the form token's minimum age
	for _, w := range []struct {
		name, method, path, body string
		header                   []string
	}{
		{"a steward's status edit", http.MethodPatch, "/api/v1/regions/32.73/status",
			`{"status":"yes","as_of":"2026-11","evidence":"confirmed_named","source_ids":["S01"],"note":"during the outage"}`,
			[]string{"Authorization", bearer, "If-Match", etag, "Content-Type", "application/json"}},
		{"a reader's submission", http.MethodPost, "/api/v1/submissions",
			`{"region":"11.02","status":"yes","as_of":"2026-11","source_url":"https://example.org/outage","token":"` + formToken.Token + `"}`,
			[]string{"Content-Type", "application/json"}},
	} {
		res, body := call(t, w.method, srv.base+w.path, []byte(w.body), w.header...)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s during the outage: %d, Retry-After %q, %s %s, want 503 problem+json with Retry-After", w.name, res.StatusCode,
				res.Header.Get("Retry-After"), res.Header.Get("Content-Type"), body)
		} else {
			t.Logf("%s during the outage: %d, Retry-After %s: %s", w.name, res.StatusCode, res.Header.Get("Retry-After"), firstLine(string(body)))
		}
	}
	var during readiness
	await(t, outageHold+10*time.Second, "through the outage", func() bool {
		during = srv.readyz(t)
		if during.status != http.StatusOK || during.Database != "down" || !during.Ready {
			t.Fatalf("/readyz during the outage: HTTP %d %+v", during.status, during)
		}
		return time.Since(down) > stopped+noticed+outageHold
	})

	up := time.Now()
	downFor := up.Sub(down)
	env.pg.resume(t)
	started := time.Since(up)
	var dbUp, listening time.Duration
	await(t, 90*time.Second, "reconnected (database up, change listener true, read model reloaded)", func() bool {
		r := srv.readyz(t)
		if r.Database == "up" && dbUp == 0 {
			dbUp = time.Since(up)
		}
		if r.Listening && listening == 0 {
			listening = time.Since(up)
		}
		return r.Database == "up" && r.Listening && r.Reloads > before.Reloads
	})
	reloaded := time.Since(up)
	stop()
	if bad := pr.bad(); len(bad) > 0 {
		t.Errorf("during the outage and recovery, not 200 with the same body:\n  %s", strings.Join(bad, "\n  "))
	}
	t.Logf("outage: pg_ctl stop took %s; the instance reported database \"down\" and change_listener false %s later; "+
		"the database stayed down %s in all (readyz said: HTTP 200, ready true, database_error %q)",
		stopped.Round(time.Millisecond), noticed.Round(time.Millisecond), downFor.Round(time.Millisecond), during.DatabaseErr)
	t.Logf("recovery: pg_ctl start took %s; after it: /readyz database up at %s, change_listener true at %s, read model reloaded at %s",
		started.Round(time.Millisecond), dbUp.Round(time.Millisecond), listening.Round(time.Millisecond), reloaded.Round(time.Millisecond))
	t.Logf("what the client saw (polling /, /wilayah/32.73, /api/v1/regions/32.73 from before the stop until the reload) %s", pr)

	// A change made afterwards reaches the instance through the real path: `mppmap import`
	// commits and NOTIFYs, the listener that reconnected by itself hears it, the instance reloads.
	if got := regionStatus(t, srv.base, "11.02"); got != "unknown" {
		t.Fatalf("11.02 is %q before the change, want unknown", got)
	}
	env.refData = refCopy(t, env.tmp, env.refData, map[string]func(string) string{
		"mpp/mpp_status_by_region.csv": replaceRow("11.02",
			"11.02,11,Aceh,Kabupaten Aceh Tenggara,in_progress,2026-01-15,,local_news,S185,e2e: changed after a database outage"),
	})
	start := time.Now()
	runImport(t, env.bin, env.dbURL, env.refData)
	imported := time.Since(start)
	seen := await(t, 90*time.Second, "serving the imported change", func() bool {
		return regionStatus(t, srv.base, "11.02") == "in_progress"
	})
	t.Logf("change after recovery: `mppmap import` took %s; the instance served it %s after the import exited",
		imported.Round(time.Millisecond), seen.Round(time.Millisecond))
}

// testKillImport SIGKILLs `mppmap import` in the middle of its transaction — after it has
// written rows, while it rebuilds the boundaries' coverage — and checks that the database is
// exactly as before and that the next import succeeds. Leaves: source S01 renamed by an import.
func testKillImport(t *testing.T, env *opsEnv) {
	srcEdit := func(s string) string {
		return strings.Replace(s, "VOI - 12 MPP to be inaugurated", "VOI (e2e) - 12 MPP to be inaugurated", 1)
	}
	// Touching the boundaries file makes the import rebuild the coverage (seconds inside
	// the transaction); the sources edit is written before that, so the transaction has real
	// rows in it when it dies.
	killed := refCopy(t, env.tmp, env.refData, map[string]func(string) string{
		"mpp/sources.csv":            srcEdit,
		"boundaries/kabkota.geojson": func(s string) string { return s + "\n" },
	})
	before := dbChecksum(t, env.dbURL)
	readyBefore := env.srv.readyz(t)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, env.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)

	cmd := exec.Command(env.bin, "import", "-data", killed, "-log-level", "info")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+env.dbURL)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// The import's backend, once it holds a transaction id (it has written) and runs the
	// coverage rebuild.
	var pid int32
	var query string
	var inTx time.Duration
	var written []string
	await(t, 3*time.Minute, "importing inside its transaction", func() bool {
		select {
		case err := <-exited:
			t.Fatalf("import ended before it could be killed: %v\n%s", err, out.String())
		default:
		}
		// written: the tables it holds write locks on, ours only (not the temporary ones).
		err := conn.QueryRow(ctx, `SELECT a.pid, a.query, now() - a.xact_start,
			  ARRAY(SELECT DISTINCT c.relname::text FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
			        WHERE l.pid = a.pid AND l.mode = 'RowExclusiveLock' AND c.relkind = 'r' AND c.relpersistence = 'p'
			        ORDER BY 1)
			FROM pg_stat_activity a
			WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_xid IS NOT NULL
			  AND a.query LIKE '%coverage_measure%'`).Scan(&pid, &query, &inTx, &written)
		return err == nil && slices.Contains(written, "source")
	})
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	killedAt := time.Since(start)
	// The server notices the client is gone when the statement running ends; until then it
	// holds the transaction (and the import lock).
	gone := await(t, 3*time.Minute, "rid of the killed import's backend", func() bool {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE pid = $1`, pid).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 0
	})
	t.Logf("kill -9: `mppmap import` killed %s after it started, %s into its transaction, holding write locks on %v, running %q; its backend ended %s later",
		killedAt.Round(time.Millisecond), inTx.Round(time.Millisecond), written, firstLine(query), gone.Round(time.Millisecond))

	after := dbChecksum(t, env.dbURL)
	var diff []string
	for tb, sum := range before {
		if after[tb] != sum {
			diff = append(diff, fmt.Sprintf("%s: %s → %s", tb, sum, after[tb]))
		}
	}
	if len(diff) > 0 || len(after) != len(before) {
		t.Errorf("the killed import changed the database:\n  %s", strings.Join(diff, "\n  "))
	}
	t.Logf("kill -9: %d tables, row counts and digests equal before and after (e.g. region %s, source %s)",
		len(after), after["region"], after["source"])
	if r := env.srv.readyz(t); r.Reloads != readyBefore.Reloads || r.LastReload != "ok" {
		t.Errorf("the instance reloaded on an import that never committed: %+v (before %+v)", r, readyBefore)
	}

	// The next import succeeds: no lock or half-written state is left behind.
	env.refData = refCopy(t, env.tmp, env.refData, map[string]func(string) string{"mpp/sources.csv": srcEdit})
	start = time.Now()
	rep := runImport(t, env.bin, env.dbURL, env.refData)
	if !strings.Contains(rep, "changes (import #") {
		t.Fatalf("the next import changed nothing:\n%s", rep)
	}
	t.Logf("kill -9: the next import succeeded in %s", time.Since(start).Round(time.Millisecond))
	await(t, 90*time.Second, "serving the renamed source", func() bool {
		_, body := get(t, env.srv.base+"/api/v1/sources/S01", nil)
		return bytes.Contains(body, []byte("VOI (e2e)"))
	})
}

func firstLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 90 {
		s = s[:90] + "…"
	}
	return s
}

// testFailingReload makes a reload fail (a table the loader reads renamed away, then a NOTIFY)
// and checks that the instance keeps the previous read model and says so in /readyz, the metric
// and the log; then repairs the table and checks that the next reload succeeds.
func testFailingReload(t *testing.T, env *opsEnv) {
	srv := env.srv
	before := srv.readyz(t)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	pr := watch(ctx, t, srv.base, []string{"/", "/wilayah/32.73", "/api/v1/regions/32.73", "/api/v1/progress"})

	env.pg.exec(t, "mppmap", `ALTER TABLE national_count RENAME TO national_count_away`)
	env.pg.exec(t, "mppmap", `SELECT pg_notify($1, 'e2e: failing reload')`, data.ChangeChannel)
	var r readiness
	took := await(t, 30*time.Second, "counting the failed reload", func() bool {
		r = srv.readyz(t)
		return r.Failures > before.Failures
	})
	time.Sleep(300 * time.Millisecond) // a few more probes on the kept read model
	stop()
	if r.status != http.StatusOK || !r.Ready || !strings.Contains(r.LastReload, "national_count") || r.LoadedAt != before.LoadedAt {
		t.Errorf("/readyz after the failed reload: HTTP %d %+v (before: %+v)", r.status, r, before)
	}
	if bad := pr.bad(); len(bad) > 0 {
		t.Errorf("while the reload failed, not 200 with the previous body:\n  %s", strings.Join(bad, "\n  "))
	}
	metric := metricLines(scrape(t, srv.metrics), `mppmap_read_model_reloads_total{result="error"}`)
	if len(metric) != 1 || !strings.HasSuffix(metric[0], " 1") {
		t.Errorf("metric after one failed reload: %q", metric)
	}
	var logLine string
	for _, l := range strings.Split(string(srv.log()), "\n") {
		if strings.Contains(l, "reload after change failed") {
			logLine = l
		}
	}
	if logLine == "" || !strings.Contains(logLine, "level=ERROR") || !strings.Contains(logLine, "national_count") {
		t.Errorf("no ERROR log line of the failed reload naming its cause: %q", logLine)
	}
	t.Logf("failing reload: counted %s after the NOTIFY; readyz: reload_failures %d, last_reload %q, read model of %s kept",
		took.Round(time.Millisecond), r.Failures, r.LastReload, r.LoadedAt)
	t.Logf("failing reload: metric %s; log: %s", strings.Join(metric, " "), logLine)
	t.Logf("failing reload: what the client saw %s", pr)

	env.pg.exec(t, "mppmap", `ALTER TABLE national_count_away RENAME TO national_count`)
	env.pg.exec(t, "mppmap", `SELECT pg_notify($1, 'e2e: repaired')`, data.ChangeChannel)
	await(t, 60*time.Second, "reloading after the repair", func() bool {
		r = srv.readyz(t)
		return r.Reloads > before.Reloads && r.LastReload == "ok"
	})
}

// testPromtool scrapes the metrics listener after the requests and reloads (good and failed)
// of the steps before and lints the text with promtool.
func testPromtool(t *testing.T, env *opsEnv) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("promtool not found and CI is set (apt-get install prometheus; scripts/deps.sh test does)")
		}
		t.Skip("promtool not found (apt-get install prometheus)")
	}
	for _, p := range []string{"/", "/nope", "/api/v1/regions/99.99", "/api/v1/regions.geojson?detail=national"} {
		get(t, env.srv.base+p, nil)
	}
	text := scrape(t, env.srv.metrics)
	path := filepath.Join(artifactsDir(t), "metrics.txt")
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(text)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
	for _, want := range []string{"mppmap_http_requests_total{", "mppmap_http_request_duration_seconds_bucket{",
		`mppmap_read_model_reloads_total{result="ok"}`, `mppmap_read_model_reloads_total{result="error"}`,
		"mppmap_read_model_age_seconds ", "mppmap_db_pool_connections ", "go_goroutines ", "process_resident_memory_bytes "} {
		if len(metricLines(text, want)) == 0 {
			t.Errorf("no %s… in the metrics", want)
		}
	}
	var sample []string
	for _, l := range metricLines(text, "mppmap_") {
		for _, p := range []string{`route="/wilayah/:code"`, `route="unmatched"`, `route="/api/v1/regions/:code"`,
			"mppmap_read_model_", "mppmap_db_pool_connections", "mppmap_db_pool_max_connections", "mppmap_imports_total"} {
			if strings.Contains(l, p) && !strings.Contains(l, "_bucket{") {
				sample = append(sample, l)
				break
			}
		}
	}
	t.Logf("promtool check metrics: %d lines, %s; sample (all in %s):\n  %s", bytes.Count(text, []byte("\n")),
		verdict(err, out), path, strings.Join(sample, "\n  "))
}

func verdict(err error, out []byte) string {
	if err != nil {
		return "FAILED: " + strings.TrimSpace(string(out))
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		return "passed: " + s
	}
	return "passed with no complaint"
}
