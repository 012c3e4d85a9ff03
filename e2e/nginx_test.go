package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// nginxConf is the shipped reverse-proxy configuration the test runs.
const nginxConf = "deploy/nginx/mppmap.conf"

// testConf turns the shipped nginx configuration into the one the test runs: the same file
// minus TLS (the ssl_* lines, the HSTS header, the port-80 redirect between the tls-only
// markers), listening on listen, proxying to upstreams, caching into cacheDir. Every rule must
// apply, so a change of the file's shape fails here instead of testing something else.
func testConf(shipped, listen string, upstreams []string, cacheDir string) (string, error) {
	var out []string
	counts := map[string]int{}
	skipping := false
	upstreamLine := regexp.MustCompile(`^(\s*server\s+)\S+:\d+(\s.*;|;)$`)
	for _, line := range strings.Split(shipped, "\n") {
		trim := strings.TrimSpace(line)
		switch {
		case trim == "# tls-only begin":
			skipping = true
			counts["tls-only block"]++
			continue
		case trim == "# tls-only end":
			skipping = false
			continue
		case skipping:
			continue
		case strings.HasPrefix(trim, "ssl_"):
			counts["ssl_*"]++
			continue
		case strings.HasPrefix(trim, "add_header Strict-Transport-Security"):
			counts["HSTS"]++
			continue
		case strings.HasPrefix(trim, "listen ") && strings.Contains(trim, " ssl"):
			if counts["listen ssl"]++; counts["listen ssl"] == 1 {
				out = append(out, "    listen "+listen+";")
			}
			continue
		case upstreamLine.MatchString(line):
			i := counts["upstream server"]
			counts["upstream server"]++
			if i < len(upstreams) {
				out = append(out, upstreamLine.ReplaceAllString(line, "${1}"+upstreams[i]+"${2}"))
			}
			continue
		case strings.HasPrefix(trim, "proxy_cache_path /var/cache/nginx/mppmap "):
			counts["cache path"]++
			line = strings.Replace(line, "/var/cache/nginx/mppmap", cacheDir, 1)
		}
		out = append(out, line)
	}
	for _, rule := range []string{"tls-only block", "ssl_*", "HSTS", "listen ssl", "upstream server", "cache path"} {
		if counts[rule] == 0 {
			return "", fmt.Errorf("%s: no %s found", nginxConf, rule)
		}
	}
	if counts["upstream server"] != len(upstreams) {
		return "", fmt.Errorf("%s: %d upstream servers, the test runs %d", nginxConf, counts["upstream server"], len(upstreams))
	}
	for _, l := range out {
		if code, _, _ := strings.Cut(l, "#"); regexp.MustCompile(`\bssl\b|\b443\b`).MatchString(code) {
			return "", fmt.Errorf("%s: TLS left after templating: %q", nginxConf, l)
		}
	}
	return strings.Join(out, "\n"), nil
}

// startNginx runs nginx (Debian's package) in the foreground with a prefix of its own and the
// shipped configuration templated by testConf, in front of upstreams; it returns the base URL
// and the access log's path, whose lines name the upstreams tried and their statuses.
func startNginx(t *testing.T, upstreams []string) (base, accessLog string) {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx"
		if _, err := os.Stat(bin); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("nginx not found and CI is set (apt-get install nginx; scripts/deps.sh test does)")
			}
			t.Skip("nginx not found (apt-get install nginx)")
		}
	}
	shipped, err := os.ReadFile(filepath.Join(moduleRoot(t), nginxConf))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, d := range []string{"cache", "tmp"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	listen := freeAddr(t)
	site, err := testConf(string(shipped), listen, upstreams, filepath.Join(dir, "cache"))
	if err != nil {
		t.Fatal(err)
	}
	accessLog = filepath.Join(dir, "access.log")
	// Workers run as root when we are root: the temporary directories are root's.
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	main := fmt.Sprintf(`%s
daemon off;
worker_processes 2;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log notice;
events { worker_connections 1024; }
http {
    default_type application/octet-stream;
    log_format upstreams '$msec $status $request_method $request_uri upstream="$upstream_addr" upstream_status="$upstream_status" cache=$upstream_cache_status';
    access_log %[2]s/access.log upstreams;
    client_body_temp_path %[2]s/tmp/body;
    proxy_temp_path %[2]s/tmp/proxy;
    fastcgi_temp_path %[2]s/tmp/fastcgi;
    uwsgi_temp_path %[2]s/tmp/uwsgi;
    scgi_temp_path %[2]s/tmp/scgi;
    include %[2]s/mppmap.conf;
}
`, user, dir)
	for name, text := range map[string]string{"mppmap.conf": site, "nginx.conf": main} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(artifactsDir(t), "nginx-test-mppmap.conf"), []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "nginx.conf")
	if out, err := exec.Command(bin, "-p", dir, "-c", conf, "-t").CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-p", dir, "-c", conf)
	out, err := os.Create(filepath.Join(artifactsDir(t), "nginx.out"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT) // graceful: workers finish, then exit
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		out.Close()
		if b, err := os.ReadFile(filepath.Join(dir, "error.log")); err == nil {
			_ = os.WriteFile(filepath.Join(artifactsDir(t), "nginx-error.log"), b, 0o644)
		}
		if b, err := os.ReadFile(accessLog); err == nil {
			_ = os.WriteFile(filepath.Join(artifactsDir(t), "nginx-access.log"), b, 0o644)
		}
	})
	base = "http://" + listen
	if err := waitReady(base, exited); err != nil {
		t.Fatalf("nginx: %v", err)
	}
	return base, accessLog
}

// clientAddr is the address the load comes from: not 127.0.0.1, which the instances trust as
// the proxy, so that the client address they log shows X-Forwarded-For was read right.
const clientAddr = "127.0.0.2"

func loadClient(conns int) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(clientAddr)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, DisableCompression: true, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
}

// outcome is one request of the load: when it started and ended, and what came back.
type outcome struct {
	path       string
	start, end time.Time
	status     int
	err        error
}

// testNginxFailover runs two instances on the one database behind nginx with the shipped
// configuration, sends a mixed GET load through it, SIGKILLs one instance in the middle and
// keeps going. Every request that starts after the kill must succeed (proxy_next_upstream
// retries it on the other instance); the few in flight at the kill are counted and reported
// (nginx cannot retry a response whose first bytes it already passed on; with buffered small
// bodies that window is tiny). Then it checks the headers the app and the proxy give together,
// and that static assets are served from nginx's cache when no instance is left.
func testNginxFailover(t *testing.T, env *opsEnv) {
	trust := []string{"-trusted-proxies", "127.0.0.1"}
	start := time.Now()
	a := launchServe(t, env.bin, env.dbURL, "nginx-a", trust...)
	b := launchServe(t, env.bin, env.dbURL, "nginx-b", trust...)
	a.waitReady(t)
	b.waitReady(t)
	t.Logf("two instances ready after %s", time.Since(start).Round(time.Millisecond))
	addrOf := func(in *serveProc) string { return strings.TrimPrefix(in.base, "http://") }
	base, accessLog := startNginx(t, []string{addrOf(a), addrOf(b)})

	const conns = 16
	client := loadClient(conns)
	fetch := func(path string, hdr map[string]string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s through nginx: %v", path, err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatalf("GET %s through nginx: %v", path, err)
		}
		return res, body
	}

	// What the app and the proxy send together.
	res, home := fetch("/", nil)
	asset := regexp.MustCompile(`/static/app\.[0-9a-f]+\.js`).Find(home)
	if res.StatusCode != http.StatusOK || asset == nil {
		t.Fatalf("/ through nginx: %s, asset %q", res.Status, asset)
	}
	if xfo, csp := res.Header.Get("X-Frame-Options"), res.Header.Get("Content-Security-Policy"); xfo != "SAMEORIGIN" || !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Errorf("/ through nginx may be framed by others: X-Frame-Options %q, CSP %q", xfo, csp)
	}
	for _, p := range []string{"/embed/peta", "/en/embed/progres"} {
		res, _ := fetch(p, nil)
		if xfo, csp := res.Header.Values("X-Frame-Options"), res.Header.Get("Content-Security-Policy"); res.StatusCode != http.StatusOK || len(xfo) > 0 || !strings.Contains(csp, "frame-ancestors *") {
			t.Errorf("%s through nginx cannot be framed: %s, X-Frame-Options %q, CSP %q", p, res.Status, xfo, csp)
		}
	}
	layer := "/api/v1/regions.geojson?detail=national"
	direct, _ := get(t, a.base+layer, map[string]string{"Accept-Encoding": "br"})
	res, _ = fetch(layer, map[string]string{"Accept-Encoding": "br"})
	if res.Header.Get("Content-Encoding") != "br" || res.Header.Get("ETag") != direct.Header.Get("ETag") || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("%s through nginx is not the app's body passed through: Content-Encoding %q, ETag %q (app: %q), Vary %q",
			layer, res.Header.Get("Content-Encoding"), res.Header.Get("ETag"), direct.Header.Get("ETag"), res.Header.Get("Vary"))
	}
	etag := res.Header.Get("ETag")
	if res, _ := fetch(layer, map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match through nginx: %s, want 304", res.Status)
	}
	// Static assets: the app's encoding for what the client accepts (app.js has gzip only),
	// passed through and cached.
	assetAE := map[string]string{"Accept-Encoding": "gzip, deflate, br"}
	direct, _ = get(t, a.base+string(asset), assetAE)
	assetEnc := direct.Header.Get("Content-Encoding")
	res, _ = fetch(string(asset), assetAE)
	if cc := res.Header.Get("Cache-Control"); res.StatusCode != http.StatusOK || cc != "public, max-age=31536000, immutable" || res.Header.Get("Content-Encoding") != assetEnc {
		t.Errorf("%s through nginx: %s, Cache-Control %q, Content-Encoding %q (app: %q)", asset, res.Status, cc, res.Header.Get("Content-Encoding"), assetEnc)
	}
	// The client the instance logs is the one nginx saw, whatever the client wrote itself.
	if res, _ := fetch("/api/v1/progress", map[string]string{"X-Forwarded-For": "203.0.113.9", "X-Request-ID": "e2e-xff-check"}); res.StatusCode != http.StatusOK {
		t.Fatalf("/api/v1/progress through nginx: %s", res.Status)
	}
	xffLine := ""
	for _, in := range []*serveProc{a, b} {
		for _, l := range strings.Split(string(in.log()), "\n") {
			if strings.Contains(l, "request_id=e2e-xff-check") {
				xffLine = in.name + ": " + l
			}
		}
	}
	if !strings.Contains(xffLine, "client="+clientAddr) {
		t.Errorf("the instance did not log the client nginx saw (%s): %q", clientAddr, xffLine)
	}

	// The load: GETs of every kind the public makes, some conditional, 16 connections.
	paths := []string{"/", "/wilayah/32.73", "/en/wilayah/32.04", "/provinsi/32", "/progres", "/api/v1/regions/32.73",
		"/api/v1/regions.geojson?detail=national", "/api/v1/regions.geojson?detail=province&province=32", "/api/v1/progress",
		"/api/v1/provinces", "/?utm_source=e2e", string(asset), "/embed/peta"}
	// Each instance renders a page once per read model; render them first, so that the load
	// measures serving, not the first renders.
	for _, in := range []*serveProc{a, b} {
		for _, p := range paths {
			get(t, in.base+p, map[string]string{"Accept-Encoding": "gzip"})
		}
	}
	// After the kill, past fail_timeout (10 s), when nginx tries the dead instance again.
	const before, afterKill = 3 * time.Second, 12 * time.Second
	var (
		mu       sync.Mutex
		outcomes []outcome
		wg       sync.WaitGroup
	)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ctx.Err() == nil; i++ {
				p := paths[i%len(paths)]
				req, _ := http.NewRequest(http.MethodGet, base+p, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				if i%4 == 0 && p == layer {
					req.Header.Set("If-None-Match", etag)
				}
				o := outcome{path: p, start: time.Now()}
				res, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					o.status = res.StatusCode
				}
				o.end, o.err = time.Now(), err
				mu.Lock()
				outcomes = append(outcomes, o)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(before)
	killAt := time.Now()
	a.kill(t)
	time.Sleep(afterKill)
	stop()
	wg.Wait()

	type tally struct {
		n      int
		status map[string]int
	}
	phases := map[string]*tally{}
	var failedAfter []string
	for _, o := range outcomes {
		phase := "before the kill"
		switch {
		case o.start.After(killAt):
			phase = "after the kill"
		case o.end.After(killAt):
			phase = "in flight at the kill"
		}
		if phases[phase] == nil {
			phases[phase] = &tally{status: map[string]int{}}
		}
		key := fmt.Sprint(o.status)
		if o.err != nil {
			key = "error: " + o.err.Error()
		}
		phases[phase].n++
		phases[phase].status[key]++
		ok := o.err == nil && (o.status == http.StatusOK || o.status == http.StatusNotModified)
		if phase == "after the kill" && !ok {
			failedAfter = append(failedAfter, fmt.Sprintf("%s at +%s: %s", o.path, o.start.Sub(killAt).Round(time.Millisecond), key))
		}
	}
	for _, ph := range []string{"before the kill", "in flight at the kill", "after the kill"} {
		if p := phases[ph]; p != nil {
			t.Logf("nginx: %-22s %5d requests: %v", ph, p.n, p.status)
		}
	}
	if len(failedAfter) > 0 {
		if len(failedAfter) > 10 {
			failedAfter = append(failedAfter[:10], "…")
		}
		t.Errorf("requests started after the kill that failed through nginx (%d):\n  %s", len(failedAfter), strings.Join(failedAfter, "\n  "))
	}
	// The allowance: a request in flight at the kill may fail if the instance had begun its
	// response, which nginx cannot retry — at most one per connection. Measured: none failed.
	if p := phases["in flight at the kill"]; p != nil {
		failed := p.n - p.status["200"] - p.status["304"]
		t.Logf("nginx: in flight at the kill: %d, failed %d (allowed, at most one per connection: %d)", p.n, failed, conns)
	}
	t.Logf("nginx: %s", retries(t, accessLog, addrOf(a), killAt))

	// With no instance left, hashed assets still come from nginx's cache; pages cannot.
	b.kill(t)
	res, _ = fetch(string(asset), map[string]string{"Accept-Encoding": "br;q=1, gzip;q=0.8"})
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != assetEnc {
		t.Errorf("%s with every instance down: %s, Content-Encoding %q (want 200 from nginx's cache, %q)",
			asset, res.Status, res.Header.Get("Content-Encoding"), assetEnc)
	}
	if res, _ := fetch("/", nil); res.StatusCode != http.StatusBadGateway {
		t.Errorf("/ with every instance down: %s, want 502", res.Status)
	}
}

// retries summarises the access log: requests nginx tried on more than one instance, and which
// instance answered after the kill.
func retries(t *testing.T, accessLog, killed string, killAt time.Time) string {
	t.Helper()
	b, err := os.ReadFile(accessLog)
	if err != nil {
		t.Fatal(err)
	}
	field := regexp.MustCompile(`^(\d+\.\d+) (\d+) \S+ (\S+) upstream="([^"]*)" upstream_status="([^"]*)"`)
	var retried []string
	answered := map[string]int{}
	var lastToKilled time.Time
	for _, l := range strings.Split(string(b), "\n") {
		m := field.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		var sec, ms int64
		fmt.Sscanf(m[1], "%d.%d", &sec, &ms)
		at := time.Unix(sec, ms*int64(time.Millisecond))
		ups := strings.Split(m[4], ", ")
		if at.After(killAt) {
			answered[ups[len(ups)-1]]++
			if strings.Contains(m[4], killed) {
				lastToKilled = at
			}
		}
		if len(ups) > 1 {
			retried = append(retried, fmt.Sprintf("%s %s → %s (%s)", m[3], m[4], m[2], m[5]))
		}
	}
	sort.Strings(retried)
	s := fmt.Sprintf("after the kill, answered by %v; %d requests retried on the other instance", answered, len(retried))
	if !lastToKilled.IsZero() {
		s += fmt.Sprintf(", the last attempt on the killed one %s after the kill", lastToKilled.Sub(killAt).Round(time.Millisecond))
	}
	if len(retried) > 0 {
		if len(retried) > 6 {
			retried = append(retried[:6], "…")
		}
		s += ":\n  " + strings.Join(retried, "\n  ")
	}
	return s
}
