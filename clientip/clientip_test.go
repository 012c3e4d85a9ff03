package clientip

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/gofiber/fiber/v2"

	_ "mppmap/golden"
)

func TestClient(t *testing.T) {
	r, err := New([]string{"10.0.0.0/8", "192.168.1.5", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	ip := netip.MustParseAddr
	tests := []struct {
		name string
		peer string
		xff  []string
		want string
	}{
		{"untrusted peer: its header is ignored", "203.0.113.9", []string{"1.2.3.4"}, "203.0.113.9"},
		{"trusted proxy, one hop", "10.0.0.2", []string{"198.51.100.7"}, "198.51.100.7"},
		{"a spoofed leftmost entry is not the client", "10.0.0.2", []string{"6.6.6.6, 198.51.100.7"}, "198.51.100.7"},
		{"two trusted proxies", "10.0.0.2", []string{"198.51.100.7, 10.1.1.1"}, "198.51.100.7"},
		{"several headers, in order", "10.0.0.2", []string{"6.6.6.6", "198.51.100.7"}, "198.51.100.7"},
		{"only trusted hops: the leftmost", "10.0.0.2", []string{"10.9.9.9, 192.168.1.5"}, "10.9.9.9"},
		{"no header: the proxy itself", "10.0.0.2", nil, "10.0.0.2"},
		{"a malformed entry stops the walk", "10.0.0.2", []string{"198.51.100.7, garbage"}, "10.0.0.2"},
		{"IPv4-mapped IPv6 peer", "::ffff:10.0.0.2", []string{"198.51.100.7"}, "198.51.100.7"},
		{"address with a port", "10.0.0.2", []string{"198.51.100.7:4711"}, "198.51.100.7"},
		{"IPv6 loopback proxy", "::1", []string{"2001:db8::1"}, "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Client(ip(tt.peer), tt.xff); got != ip(tt.want) {
				t.Errorf("Client(%s, %q) = %s, want %s", tt.peer, tt.xff, got, tt.want)
			}
		})
	}
	var none Resolver
	if got := none.Client(ip("10.0.0.2"), []string{"1.2.3.4"}); got != ip("10.0.0.2") {
		t.Errorf("no trusted proxy: %s", got)
	}
	if _, err := New([]string{"not-an-ip"}); err == nil {
		t.Error("a bad trusted proxy was accepted")
	}
}

// Through Fiber: the peer of app.Test is 0.0.0.0, trusted here as a proxy.
func TestOf(t *testing.T) {
	r, _ := New([]string{"0.0.0.0"})
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString(r.String(c)) })
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Add("X-Forwarded-For", "6.6.6.6, 198.51.100.7")
	res, err := app.Test(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	if string(b) != "198.51.100.7" {
		t.Errorf("client = %q", b)
	}
}
