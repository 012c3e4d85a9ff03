package round

import "testing"

func TestRound(t *testing.T) {
	tests := []struct {
		name     string
		fn       func(float64) float64
		in, want float64
	}{
		{"pct half up", Pct, 12.35, 12.4},
		{"pct half away from zero", Pct, -12.35, -12.4},
		{"pct down", Pct, 33.333, 33.3},
		{"figure binary-below-half", Figure, 2.675, 2.68},
		{"figure 0.125", Figure, 0.125, 0.13},
		{"figure 1.005", Figure, 1.005, 1.01},
		{"figure negative", Figure, -0.345, -0.35},
		{"figure keeps", Figure, 12, 12},
		{"pct of 2/3", Pct, 100 * 2.0 / 3, 66.7},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s: %v → %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}
