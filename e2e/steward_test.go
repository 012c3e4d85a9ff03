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

	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/data/datatest"
)

// instance is one `mppmap serve` process of a test.
type instance struct {
	base string
	log  string // path of its log
}

// buildMppmap builds the binary once per test.
func buildMppmap(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mppmap")
	build := exec.Command("go", "build", "-o", bin, "./cmd/mppmap")
	build.Dir = moduleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/mppmap: %v\n%s", err, out)
	}
	return bin
}

// startInstance runs `bin serve` on dbURL (importing refData when the database is empty) and
// waits for /readyz; the process is stopped (SIGINT) when the test ends.
func startInstance(t *testing.T, bin, dbURL, refData, name string) instance {
	t.Helper()
	addr := freeAddr(t)
	logPath := filepath.Join(artifactsDir(t), name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "MPPMAP_DATA="+refData)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		logFile.Close()
	})
	base := "http://" + addr
	if err := waitReady(base, exited); err != nil {
		b, _ := os.ReadFile(logPath)
		t.Fatalf("%s not ready: %v\n%s", name, err, tail(b, 4000))
	}
	return instance{base: base, log: logPath}
}

// cli runs `bin args…` against dbURL with stdin, returning stdout.
func cli(t *testing.T, bin, dbURL, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("mppmap %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String()
}

// call is one HTTP request of the test: method, URL, headers as pairs, body.
func call(t *testing.T, method, url string, body []byte, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

type problemBody struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Errors []struct {
		Field, Message string
	} `json:"errors"`
	Plan *planBody `json:"plan"`
}

type planBody struct {
	Base    string `json:"base"`
	Changes []struct {
		Code, Field, Before, After string
	} `json:"changes"`
	Problems []struct {
		Line           int
		Field, Message string
	} `json:"problems"`
	Applied bool `json:"applied"`
}

// TestStewardship walks the write API as a steward's script would, against two instances on one
// database: every refusal (credentials, preconditions, bad fields, sizes, stale bases), an edit
// seen by the other instance within seconds (latency reported, not asserted), a bulk dry run and
// apply, the audit log, revocation, and that no secret reaches a log, an error body or the
// database in clear.
func TestStewardship(t *testing.T) {
	dbURL, pool := datatest.NewDB(t)
	refData := datatest.RefData(t)
	bin := buildMppmap(t)
	a := startInstance(t, bin, dbURL, refData, "steward-a")
	b := startInstance(t, bin, dbURL, refData, "steward-b")

	const password = "a long passphrase for e2e"
	cli(t, bin, dbURL, password+"\n", "user", "add", "-email", "Steward@Example.go.id", "-role", "steward", "-password-stdin")
	tokenOut := cli(t, bin, dbURL, "", "token", "create", "-email", "steward@example.go.id", "-name", "e2e")
	lines := strings.Split(strings.TrimSpace(tokenOut), "\n")
	token := strings.TrimSpace(lines[len(lines)-1])
	if !strings.HasPrefix(token, "mpp_") {
		t.Fatalf("token create printed %q", tokenOut)
	}
	bearer := "Bearer " + token
	api := a.base + "/api/v1"
	const code = "32.71"

	etag := func(base string) string {
		res, _ := call(t, http.MethodGet, base+"/api/v1/regions/"+code, nil)
		return res.Header.Get("ETag")
	}
	hostileNote := `'; DROP TABLE region_status; -- <script>alert("x")</script> & "quoted"`
	good := []byte(`{"status":"yes","as_of":"2026-11-30","evidence":"confirmed_named","source_ids":["S01"],"note":` + jsonString(hostileNote) + `}`)
	patch := a.base + "/api/v1/regions/" + code + "/status"
	ct := []string{"Content-Type", "application/json"}

	for _, tc := range []struct {
		name   string
		body   []byte
		header []string
		want   int
	}{
		{"no credentials", good, ct, http.StatusUnauthorized},
		{"unknown token", good, append([]string{"Authorization", "Bearer mpp_nottoken"}, ct...), http.StatusUnauthorized},
		{"basic auth", good, append([]string{"Authorization", "Basic c3Rld2FyZDp4"}, ct...), http.StatusUnauthorized},
		{"no If-Match", good, append([]string{"Authorization", bearer}, ct...), http.StatusPreconditionRequired},
		{"stale If-Match", good, append([]string{"Authorization", bearer, "If-Match", `"0123456789abcdef01234567"`}, ct...), http.StatusPreconditionFailed},
		{"bad fields", []byte(`{"status":"maybe","as_of":"2026-13","evidence":"","source_ids":["S99999"],"note":""}`),
			append([]string{"Authorization", bearer, "If-Match", etag(a.base)}, ct...), http.StatusUnprocessableEntity},
		{"unknown field", []byte(`{"status":"yes","sql":"1"}`), append([]string{"Authorization", bearer, "If-Match", etag(a.base)}, ct...), http.StatusUnprocessableEntity},
		{"malformed JSON", []byte(`{"status":`), append([]string{"Authorization", bearer, "If-Match", etag(a.base)}, ct...), http.StatusBadRequest},
		{"not JSON", good, []string{"Authorization", bearer, "If-Match", etag(a.base), "Content-Type", "text/plain"}, http.StatusUnsupportedMediaType},
		{"too large", bytes.Repeat([]byte(" "), 70<<10), append([]string{"Authorization", bearer, "If-Match", etag(a.base)}, ct...), http.StatusRequestEntityTooLarge},
	} {
		res, body := call(t, http.MethodPatch, patch, tc.body, tc.header...)
		if res.StatusCode != tc.want || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: %d %s %s, want %d problem+json", tc.name, res.StatusCode, res.Header.Get("Content-Type"), body, tc.want)
		}
		if bytes.Contains(body, []byte(token)) {
			t.Errorf("%s: the error body carries the token", tc.name)
		}
		if tc.name == "bad fields" {
			var p problemBody
			_ = json.Unmarshal(body, &p)
			named := map[string]bool{}
			for _, e := range p.Errors {
				named[e.Field] = true
			}
			for _, f := range []string{"status", "as_of", "evidence", "source_ids"} {
				if !named[f] {
					t.Errorf("422 does not name %s: %s", f, body)
				}
			}
		}
	}

	// The edit, through instance A; instance B must show it on its own (NOTIFY → reload).
	before := etag(b.base)
	start := time.Now()
	res, body := call(t, http.MethodPatch, patch, good, append([]string{"Authorization", bearer, "If-Match", etag(a.base)}, ct...)...)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("edit: %d %s", res.StatusCode, body)
	}
	writeTook := time.Since(start)
	var prof struct {
		Region  struct{ Status, StatusAsOf string } `json:"region"`
		History []struct {
			ChangedBy string `json:"changed_by"`
			Note      string `json:"note"`
		} `json:"history"`
	}
	if err := json.Unmarshal(body, &prof); err != nil {
		t.Fatal(err)
	}
	if prof.Region.Status != "yes" || len(prof.History) == 0 || prof.History[len(prof.History)-1].Note != hostileNote ||
		prof.History[len(prof.History)-1].ChangedBy != "steward" {
		t.Errorf("the 200 does not carry the new profile: %s", body)
	}
	var seen time.Duration
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if e := etag(b.base); e != before {
			seen = time.Since(start)
			break
		}
	}
	if seen == 0 {
		t.Fatal("instance B did not show the edit within 60 s")
	}
	t.Logf("edit through A answered after %s (its own read model showed it); instance B showed it %s after the request started", writeTook.Round(time.Millisecond), seen.Round(time.Millisecond))

	// HTML: the note is text on both instances' region page.
	for _, in := range []instance{a, b} {
		_, page := call(t, http.MethodGet, in.base+"/wilayah/"+code, nil)
		if bytes.Contains(page, []byte(`<script>alert("x")</script>`)) || !bytes.Contains(page, []byte(`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`)) {
			t.Errorf("%s: the region page does not show the note escaped", in.base)
		}
	}
	var tables int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM region_status`).Scan(&tables); err != nil || tables != regionCount {
		t.Errorf("region_status after the hostile note: %d rows, %v", tables, err)
	}

	// A new source.
	res, body = call(t, http.MethodPost, api+"/sources", []byte(`{"url":"https://example.org/peresmian","title":"MPP diresmikan","publisher":"Pemkot Bogor","date":"2026-11-30"}`),
		append([]string{"Authorization", bearer}, ct...)...)
	if res.StatusCode != http.StatusCreated || !strings.Contains(string(body), `"id":"S9001"`) {
		t.Errorf("POST /sources: %d %s", res.StatusCode, body)
	}
	res, _ = call(t, http.MethodPost, api+"/sources", []byte(`{"url":"javascript:alert(1)","title":""}`), append([]string{"Authorization", bearer}, ct...)...)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("POST /sources with a javascript: URL = %d, want 422", res.StatusCode)
	}

	// Bulk: dry run, apply, stale base, problems, size.
	csvBody := []byte("code,mpp_status,status_as_of,first_known_date,evidence,source_ids,notes\n" +
		"32.71,yes,2026-11-30,,confirmed_named,S01;S9001,bulk\n" +
		"32.01,in_progress,2026-11,,local_news,S9001,\n")
	csvHdr := []string{"Authorization", bearer, "Content-Type", "text/csv"}
	res, body = call(t, http.MethodPost, api+"/imports/status?dry_run=true", csvBody, csvHdr...)
	var plan planBody
	if err := json.Unmarshal(body, &plan); err != nil || res.StatusCode != http.StatusOK || plan.Base == "" || len(plan.Changes) < 3 || len(plan.Problems) != 0 {
		t.Fatalf("dry run: %d %s", res.StatusCode, body)
	}
	if res, body = call(t, http.MethodPost, api+"/imports/status", csvBody, csvHdr...); res.StatusCode != http.StatusPreconditionRequired {
		t.Errorf("apply without If-Match: %d %s", res.StatusCode, body)
	}
	res, body = call(t, http.MethodPost, api+"/imports/status", csvBody, append(csvHdr, "If-Match", `"`+plan.Base+`"`)...)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"applied":true`) {
		t.Fatalf("apply: %d %s", res.StatusCode, body)
	}
	res, body = call(t, http.MethodPost, api+"/imports/status", csvBody, append(csvHdr, "If-Match", plan.Base)...)
	var stale problemBody
	_ = json.Unmarshal(body, &stale)
	if res.StatusCode != http.StatusConflict || stale.Plan == nil || stale.Plan.Base == plan.Base {
		t.Errorf("apply on an old base: %d %s, want 409 with a fresh dry run", res.StatusCode, body)
	}
	bad := []byte("code,mpp_status,status_as_of,first_known_date,evidence,source_ids,notes\n32.71,maybe,2026,,x,S01,\n")
	res, body = call(t, http.MethodPost, api+"/imports/status", bad, append(csvHdr, "If-Match", stale.Plan.Base)...)
	var badP problemBody
	_ = json.Unmarshal(body, &badP)
	if res.StatusCode != http.StatusUnprocessableEntity || badP.Plan == nil || len(badP.Plan.Problems) != 1 ||
		badP.Plan.Problems[0].Line != 2 || badP.Plan.Problems[0].Field != "mpp_status" {
		t.Errorf("apply with a bad row: %d %s, want 422 naming line 2, mpp_status", res.StatusCode, body)
	}
	if res, _ = call(t, http.MethodPost, api+"/imports/status?dry_run=true", bytes.Repeat([]byte("x"), 3<<20), csvHdr...); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("3 MiB upload = %d, want 413", res.StatusCode)
	}

	// The audit log names every write with before and after.
	res, body = call(t, http.MethodGet, api+"/audit?since="+start.Add(-time.Minute).UTC().Format(time.RFC3339), nil, "Authorization", bearer)
	for _, action := range []string{"status.edit", "source.add", "status.bulk", "bulk.apply"} {
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"action":"`+action+`"`) {
			t.Errorf("audit lacks %s: %d %.400s", action, res.StatusCode, body)
		}
	}
	if res, _ = call(t, http.MethodGet, api+"/audit", nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("audit without a token = %d", res.StatusCode)
	}

	// Revoked: the token stops working at once.
	cli(t, bin, dbURL, "", "token", "revoke", "-email", "steward@example.go.id", "-name", "e2e")
	res, _ = call(t, http.MethodPatch, patch, good, append([]string{"Authorization", bearer, "If-Match", etag(a.base)}, ct...)...)
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", res.StatusCode)
	}

	// No secret in clear: not in either server's log, not in any table.
	for _, in := range []instance{a, b} {
		logText, _ := os.ReadFile(in.log)
		if bytes.Contains(logText, []byte(token)) || bytes.Contains(logText, []byte(password)) {
			t.Errorf("%s: the server log carries the token or the password", in.log)
		}
	}
	assertNotStored(t, pool, token, password)
}

// assertNotStored checks no table's rows contain any of secrets as text.
func assertNotStored(t *testing.T, pool *pgxpool.Pool, secrets ...string) {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	for _, tb := range tables {
		for _, s := range secrets {
			var n int
			// tb is a quoted identifier from the catalog; the secret is a parameter.
			if err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM %s t WHERE strpos(t::text, $1) > 0`, tb), s).Scan(&n); err != nil {
				t.Fatalf("scan %s: %v", tb, err)
			}
			if n > 0 {
				t.Errorf("table %s holds a secret in clear (%d rows)", tb, n)
			}
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
