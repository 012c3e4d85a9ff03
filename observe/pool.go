package observe

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// poolCollector reports a pgx pool's statistics at scrape time.
type poolCollector struct {
	pool                                        *pgxpool.Pool
	total, idle, acquired, max, acquires, waits *prometheus.Desc
	waitSeconds, canceled                       *prometheus.Desc
}

// NewPoolCollector reports pool's connections (total, idle, acquired, max), acquisitions,
// acquisitions that had to wait and the time waited, and acquisitions canceled.
func NewPoolCollector(pool *pgxpool.Pool) prometheus.Collector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("mppmap_db_pool_"+name, help, nil, nil)
	}
	return &poolCollector{pool: pool,
		total: d("connections", "Connections open."), idle: d("idle_connections", "Connections idle."),
		acquired: d("acquired_connections", "Connections in use."), max: d("max_connections", "Connections allowed."),
		acquires: d("acquires_total", "Connections acquired."), waits: d("empty_acquires_total", "Acquisitions that waited for a connection."),
		waitSeconds: d("acquire_wait_seconds_total", "Time spent waiting for a connection."),
		canceled:    d("canceled_acquires_total", "Acquisitions canceled before a connection was free.")}
}

func (p *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{p.total, p.idle, p.acquired, p.max, p.acquires, p.waits, p.waitSeconds, p.canceled} {
		ch <- d
	}
}

func (p *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.pool.Stat()
	ch <- prometheus.MustNewConstMetric(p.total, prometheus.GaugeValue, float64(s.TotalConns()))
	ch <- prometheus.MustNewConstMetric(p.idle, prometheus.GaugeValue, float64(s.IdleConns()))
	ch <- prometheus.MustNewConstMetric(p.acquired, prometheus.GaugeValue, float64(s.AcquiredConns()))
	ch <- prometheus.MustNewConstMetric(p.max, prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(p.acquires, prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(p.waits, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(p.waitSeconds, prometheus.CounterValue, s.EmptyAcquireWaitTime().Seconds())
	ch <- prometheus.MustNewConstMetric(p.canceled, prometheus.CounterValue, float64(s.CanceledAcquireCount()))
}
