package api

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// The hot paths of public traffic, on the real reference data, without the network: what one
// request costs in the handler (the wrk script in scripts/bench.sh measures the whole server).
// Run with `make bench`; numbers are reported, never asserted.
func BenchmarkHotPaths(b *testing.B) {
	app := newTestApp(b, realSnapshot(b))
	h := app.Handler()
	cases := []struct {
		name, path string
		gzip       bool
	}{
		{"national layer gzip", "/api/v1/regions.geojson?detail=national", true},
		{"region profile", "/api/v1/regions/32.73", true},
		{"progress", "/api/v1/progress", true},
		{"provinces", "/api/v1/provinces", true},
		{"status as of", "/api/v1/status?as_of=2024-06-30", true},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				var ctx fasthttp.RequestCtx
				for pb.Next() {
					ctx.Request.Reset()
					ctx.Response.Reset()
					ctx.Request.SetRequestURI(bc.path)
					if bc.gzip {
						ctx.Request.Header.Set(fasthttp.HeaderAcceptEncoding, "gzip")
					}
					h(&ctx)
					if code := ctx.Response.StatusCode(); code != fasthttp.StatusOK {
						b.Fatalf("GET %s: %d %s", bc.path, code, ctx.Response.Body())
					}
				}
			})
		})
	}
}
