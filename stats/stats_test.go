package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// z95 is the two-sided 95% standard-normal critical value, typed in here (and
// only here) so the tests check the package's quantile call independently.
const z95 = 1.959963984540054

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// wilsonRef is the Wilson interval written in its other textbook form,
// (k + z²/2)/(n + z²) ± z·√n/(n + z²)·√(p̂q̂ + z²/4n), so it does not share
// code or arrangement with the package.
func wilsonRef(k, n int) (low, high float64) {
	kf, nf := float64(k), float64(n)
	ph := kf / nf
	c := (kf + z95*z95/2) / (nf + z95*z95)
	h := z95 * math.Sqrt(nf) / (nf + z95*z95) * math.Sqrt(ph*(1-ph)+z95*z95/(4*nf))
	return c - h, c + h
}

func TestWilson(t *testing.T) {
	cases := []struct {
		name string
		k, n int
	}{
		{"none of ten", 0, 10},
		{"all of ten", 10, 10},
		{"half of ten", 5, 10},
		{"81 of 263", 81, 263},
		{"one of one", 1, 1},
		{"3 of 1000", 3, 1000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Wilson(c.k, c.n, 0.95)
			if !ok {
				t.Fatalf("Wilson(%d, %d) ok = false", c.k, c.n)
			}
			low, high := wilsonRef(c.k, c.n)
			share := float64(c.k) / float64(c.n)
			if !near(got.Share, share, 1e-12) || !near(got.Low, low, 1e-12) || !near(got.High, high, 1e-12) {
				t.Errorf("Wilson(%d, %d) = %+v, want {%v %v %v}", c.k, c.n, got, share, low, high)
			}
			if got.Low < 0 || got.High > 1 || got.Low > got.Share || got.Share > got.High {
				t.Errorf("Wilson(%d, %d) = %+v: not 0 ≤ Low ≤ Share ≤ High ≤ 1", c.k, c.n, got)
			}
		})
	}
}

func TestWilsonPublished(t *testing.T) {
	// The standard worked example (81 successes in 263 trials) quoted for the
	// Wilson score interval: 95% interval ≈ [0.2553, 0.3662].
	got, ok := Wilson(81, 263, 0.95)
	if !ok {
		t.Fatal("ok = false")
	}
	if !near(got.Low, 0.2553, 1e-4) || !near(got.High, 0.3662, 1e-4) {
		t.Errorf("Wilson(81, 263) = [%.5f, %.5f], want ≈ [0.2553, 0.3662]", got.Low, got.High)
	}
}

func TestWilsonLevelMatters(t *testing.T) {
	// A wider level must give a wider interval: catches a z that ignores conf.
	w90, _ := Wilson(81, 263, 0.90)
	w99, _ := Wilson(81, 263, 0.99)
	if !(w99.Low < w90.Low && w99.High > w90.High) {
		t.Errorf("99%% %+v is not wider than 90%% %+v", w99, w90)
	}
}

func TestWilsonNotOK(t *testing.T) {
	cases := []struct {
		name string
		k, n int
		conf float64
	}{
		{"n zero", 0, 0, 0.95},
		{"k above n", 11, 10, 0.95},
		{"k negative", -1, 10, 0.95},
		{"conf one", 5, 10, 1},
		{"conf zero", 5, 10, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, ok := Wilson(c.k, c.n, c.conf); ok {
				t.Errorf("Wilson(%d, %d, %v) = %+v, true; want ok false", c.k, c.n, c.conf, got)
			}
		})
	}
}

func TestStandardize(t *testing.T) {
	cases := []struct {
		name string
		xs   []float64
	}{
		{"one to five", []float64{1, 2, 3, 4, 5}},
		{"two values", []float64{-3, 7}},
		{"large offset", []float64{1e6 + 0.5, 1e6 + 1.5, 1e6 - 2, 1e6 + 3.25}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			z, mean, sd, ok := Standardize(c.xs)
			if !ok {
				t.Fatal("ok = false")
			}
			n := float64(len(c.xs))
			var sum, ss float64
			for _, x := range c.xs {
				sum += x
			}
			wantMean := sum / n
			for _, x := range c.xs {
				ss += (x - wantMean) * (x - wantMean)
			}
			wantSD := math.Sqrt(ss / (n - 1)) // sample sd
			if !near(mean, wantMean, 1e-9) || !near(sd, wantSD, 1e-9) {
				t.Errorf("mean, sd = %v, %v; want %v, %v", mean, sd, wantMean, wantSD)
			}
			var zs, zss float64
			for _, v := range z {
				zs += v
			}
			for _, v := range z {
				zss += (v - zs/n) * (v - zs/n)
			}
			if !near(zs/n, 0, 1e-12) || !near(math.Sqrt(zss/(n-1)), 1, 1e-12) {
				t.Errorf("z mean %v, sample sd %v; want 0, 1", zs/n, math.Sqrt(zss/(n-1)))
			}
			for i, x := range c.xs {
				if !near(z[i]*sd+mean, x, 1e-9*math.Max(1, math.Abs(x))) {
					t.Errorf("z[%d]·sd + mean = %v, want %v", i, z[i]*sd+mean, x)
				}
			}
		})
	}
}

func TestStandardizeNotOK(t *testing.T) {
	tenths := make([]float64, 10)
	for i := range tenths {
		tenths[i] = 0.1
	}
	cases := []struct {
		name string
		xs   []float64
	}{
		{"empty", nil},
		{"one value", []float64{4}},
		{"constant", []float64{2, 2, 2}},
		{"constant tenths", tenths},
		{"NaN", []float64{1, math.NaN(), 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if z, _, _, ok := Standardize(c.xs); ok || z != nil {
				t.Errorf("Standardize(%v) = %v, ok %v; want nil, false", c.xs, z, ok)
			}
		})
	}
}

// challenger is the pre-1986 Space Shuttle launch data (Dalal, Fowlkes &
// Hoadley 1989): joint temperature in °F and whether any O-ring showed
// thermal distress.
var challengerTemp = []float64{66, 70, 69, 68, 67, 72, 73, 70, 57, 63, 70, 78, 67, 53, 67, 75, 70, 81, 76, 79, 75, 76, 58}
var challengerDamage = []float64{0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1}

func challengerX() [][]float64 {
	x := make([][]float64, len(challengerTemp))
	for i, t := range challengerTemp {
		x[i] = []float64{t}
	}
	return x
}

// refNewton is an independent Newton–Raphson for logistic regression with
// an intercept, for 1 or 2 predictors, inverting the 2×2 or 3×3 Hessian by
// the closed-form adjugate formula. It returns coefficients and standard
// errors.
func refNewton(t *testing.T, x [][]float64, y []float64) (coef, se []float64) {
	t.Helper()
	k := len(x[0]) + 1
	row := func(i int) []float64 { return append([]float64{1}, x[i]...) }
	b := make([]float64, k)
	var inv [][]float64
	for iter := 0; iter < 200; iter++ {
		g := make([]float64, k)
		h := make([][]float64, k)
		for j := range h {
			h[j] = make([]float64, k)
		}
		for i := range x {
			r := row(i)
			eta := 0.0
			for j := range r {
				eta += r[j] * b[j]
			}
			p := 1 / (1 + math.Exp(-eta))
			for j := range r {
				g[j] += r[j] * (y[i] - p)
				for l := range r {
					h[j][l] += r[j] * r[l] * p * (1 - p)
				}
			}
		}
		switch k {
		case 2:
			inv = inv2(h)
		case 3:
			inv = inv3(h)
		default:
			t.Fatalf("refNewton: %d coefficients not supported", k)
		}
		maxStep := 0.0
		for j := range b {
			step := 0.0
			for l := range b {
				step += inv[j][l] * g[l]
			}
			b[j] += step
			maxStep = math.Max(maxStep, math.Abs(step))
		}
		if maxStep < 1e-13 {
			break
		}
	}
	se = make([]float64, k)
	for j := range se {
		se[j] = math.Sqrt(inv[j][j])
	}
	return b, se
}

func inv2(m [][]float64) [][]float64 {
	det := m[0][0]*m[1][1] - m[0][1]*m[1][0]
	return [][]float64{
		{m[1][1] / det, -m[0][1] / det},
		{-m[1][0] / det, m[0][0] / det},
	}
}

func inv3(m [][]float64) [][]float64 {
	a, b, c := m[0][0], m[0][1], m[0][2]
	d, e, f := m[1][0], m[1][1], m[1][2]
	g, h, i := m[2][0], m[2][1], m[2][2]
	A, B, C := e*i-f*h, -(d*i - f*g), d*h-e*g
	det := a*A + b*B + c*C
	return [][]float64{
		{A / det, -(b*i - c*h) / det, (b*f - c*e) / det},
		{B / det, (a*i - c*g) / det, -(a*f - c*d) / det},
		{C / det, -(a*h - b*g) / det, (a*e - b*d) / det},
	}
}

func TestLogisticChallenger(t *testing.T) {
	fit, err := Logistic(challengerX(), challengerDamage, []string{"temp"}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if !fit.Converged || fit.N != 23 || fit.Events != 7 {
		t.Errorf("Converged %v, N %d, Events %d; want true, 23, 7", fit.Converged, fit.N, fit.Events)
	}
	if len(fit.Terms) != 2 || fit.Terms[0].Name != "(intercept)" || fit.Terms[1].Name != "temp" {
		t.Fatalf("terms %+v; want (intercept), temp", fit.Terms)
	}
	// Published maximum-likelihood estimates (R glm(damage ~ temp,
	// family = binomial); Dalal, Fowlkes & Hoadley 1989), 4 decimals.
	published := []struct {
		name           string
		coef, se, z, p float64
	}{
		{"(intercept)", 15.0429, 7.3786, 2.039, 0.0415},
		{"temp", -0.2322, 0.1082, -2.145, 0.0320},
	}
	for j, w := range published {
		got := fit.Terms[j]
		if !near(got.Coef, w.coef, 1e-4) || !near(got.SE, w.se, 1e-4) {
			t.Errorf("%s: coef %.6f SE %.6f; published %.4f (%.4f)", w.name, got.Coef, got.SE, w.coef, w.se)
		}
		if !near(got.Z, w.z, 1e-3) || !near(got.P, w.p, 1e-4) {
			t.Errorf("%s: z %.4f p %.5f; published %.3f, %.4f", w.name, got.Z, got.P, w.z, w.p)
		}
	}
	// Published residual deviance 20.315 on 21 df: LogLik = −deviance/2.
	if !near(-2*fit.LogLik, 20.315, 1e-3) {
		t.Errorf("deviance %.4f, published 20.315", -2*fit.LogLik)
	}

	// Independent check to far more digits than the publication gives.
	coef, se := refNewton(t, challengerX(), challengerDamage)
	for j := range coef {
		if !near(fit.Terms[j].Coef, coef[j], 1e-8) || !near(fit.Terms[j].SE, se[j], 1e-8) {
			t.Errorf("term %d: coef %v SE %v; reference Newton %v %v", j, fit.Terms[j].Coef, fit.Terms[j].SE, coef[j], se[j])
		}
	}
}

// synthetic2 is a deterministic two-predictor design with outcomes drawn from
// a known logistic model (fixed seed), overlapping enough to have an MLE.
func synthetic2() (x [][]float64, y []float64) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := range 120 {
		x1 := float64(i%9) - 4 + 0.25*r.NormFloat64()
		x2 := 10 + 3*r.NormFloat64()
		eta := 1.5 + 0.6*x1 - 0.2*x2
		yi := 0.0
		if r.Float64() < 1/(1+math.Exp(-eta)) {
			yi = 1
		}
		x = append(x, []float64{x1, x2})
		y = append(y, yi)
	}
	return x, y
}

func TestLogisticTwoPredictors(t *testing.T) {
	x, y := synthetic2()
	fit, err := Logistic(x, y, []string{"x1", "x2"}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	coef, se := refNewton(t, x, y)
	if len(fit.Terms) != 3 {
		t.Fatalf("%d terms, want 3", len(fit.Terms))
	}
	for j, term := range fit.Terms {
		if !near(term.Coef, coef[j], 1e-6) || !near(term.SE, se[j], 1e-6) {
			t.Errorf("%s: coef %v SE %v; reference %v %v", term.Name, term.Coef, term.SE, coef[j], se[j])
		}
	}
	// The optimum is a maximum: nudging any coefficient lowers LogLik.
	for j := range coef {
		for _, d := range []float64{-1e-3, 1e-3} {
			b := append([]float64(nil), coef...)
			b[j] += d
			if ll := refLogLik(x, y, b); ll >= fit.LogLik {
				t.Errorf("coef %d %+g: loglik %v ≥ fitted %v", j, d, ll, fit.LogLik)
			}
		}
	}
}

func refLogLik(x [][]float64, y, b []float64) float64 {
	ll := 0.0
	for i := range x {
		eta := b[0]
		for j, v := range x[i] {
			eta += b[j+1] * v
		}
		p := 1 / (1 + math.Exp(-eta))
		ll += y[i]*math.Log(p) + (1-y[i])*math.Log(1-p)
	}
	return ll
}

func TestLogisticOddsRatios(t *testing.T) {
	x2, y2 := synthetic2()
	fits := []struct {
		name  string
		x     [][]float64
		y     []float64
		names []string
	}{
		{"challenger", challengerX(), challengerDamage, []string{"temp"}},
		{"synthetic", x2, y2, []string{"x1", "x2"}},
	}
	for _, f := range fits {
		t.Run(f.name, func(t *testing.T) {
			fit, err := Logistic(f.x, f.y, f.names, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			for _, term := range fit.Terms {
				if term.OddsRatio != math.Exp(term.Coef) {
					t.Errorf("%s: OddsRatio %v != exp(Coef) %v", term.Name, term.OddsRatio, math.Exp(term.Coef))
				}
				if !(term.CILow < term.OddsRatio && term.OddsRatio < term.CIHigh) {
					t.Errorf("%s: OR %v outside CI [%v, %v]", term.Name, term.OddsRatio, term.CILow, term.CIHigh)
				}
				lo, hi := math.Exp(term.Coef-1.959964*term.SE), math.Exp(term.Coef+1.959964*term.SE)
				if !near(term.CILow/lo, 1, 1e-6) || !near(term.CIHigh/hi, 1, 1e-6) {
					t.Errorf("%s: CI [%v, %v], want exp(Coef ± 1.959964·SE) = [%v, %v]", term.Name, term.CILow, term.CIHigh, lo, hi)
				}
				if !near(term.Z, term.Coef/term.SE, 1e-12) {
					t.Errorf("%s: Z %v != Coef/SE %v", term.Name, term.Z, term.Coef/term.SE)
				}
				// Two-sided normal p written with Erfc: 2·Φ(−|z|) = erfc(|z|/√2).
				if p := math.Erfc(math.Abs(term.Z) / math.Sqrt2); !near(term.P, p, 1e-12) {
					t.Errorf("%s: P %v, want %v", term.Name, term.P, p)
				}
			}
		})
	}
}

func TestLogisticErrors(t *testing.T) {
	seq := func(n int) [][]float64 {
		x := make([][]float64, n)
		for i := range x {
			x[i] = []float64{float64(i + 1)}
		}
		return x
	}
	sepY := []float64{0, 0, 0, 0, 0, 1, 1, 1, 1, 1} // y = x > 5 on x = 1..10
	// Quasi-complete: x < 5 all 0, x > 5 all 1, the two rows at x = 5 mixed.
	quasiX := [][]float64{{1}, {2}, {3}, {4}, {5}, {5}, {6}, {7}, {8}, {9}}
	quasiY := []float64{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	dup := make([][]float64, len(challengerTemp))
	constant := make([][]float64, len(challengerTemp))
	for i, v := range challengerTemp {
		dup[i] = []float64{v, v}
		constant[i] = []float64{v, 3}
	}
	badY := append([]float64(nil), challengerDamage...)
	badY[3] = 2
	ragged := challengerX()
	ragged[5] = []float64{1, 2}

	cases := []struct {
		name    string
		x       [][]float64
		y       []float64
		names   []string
		conf    float64
		is      error  // sentinel to match, if any
		message string // substring the message must hold, if any
	}{
		{"perfect separation", seq(10), sepY, []string{"x"}, 0.95, ErrSeparation, ""},
		{"quasi-complete separation", quasiX, quasiY, []string{"x"}, 0.95, ErrSeparation, ""},
		{"duplicated column", dup, challengerDamage, []string{"temp", "temp2"}, 0.95, ErrSingular, ""},
		{"constant column", constant, challengerDamage, []string{"temp", "three"}, 0.95, ErrSingular, ""},
		{"y of 2", challengerX(), badY, []string{"temp"}, 0.95, nil, "row 3"},
		{"y shorter than X", challengerX(), challengerDamage[:20], []string{"temp"}, 0.95, nil, "20 values"},
		{"row length", ragged, challengerDamage, []string{"temp"}, 0.95, nil, "row 5 has 2 columns"},
		{"names disagree", challengerX(), challengerDamage, []string{"temp", "extra"}, 0.95, nil, "row 0"},
		{"too few rows", seq(2), []float64{0, 1}, []string{"x"}, 0.95, nil, "need more than 2 rows"},
		{"no events", seq(10), make([]float64, 10), []string{"x"}, 0.95, nil, "0 events"},
		{"bad conf", challengerX(), challengerDamage, []string{"temp"}, 95, nil, "confidence"},
		{"NaN predictor", [][]float64{{1}, {math.NaN()}, {3}, {4}}, []float64{0, 1, 0, 1}, []string{"x"}, 0.95, nil, "not finite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fit, err := Logistic(c.x, c.y, c.names, c.conf)
			if err == nil {
				t.Fatalf("no error; fit %+v", fit)
			}
			if fit != nil {
				t.Errorf("fit %+v returned with error %v", fit, err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %q is not %q", err, c.is)
			}
			if !strings.Contains(err.Error(), c.message) {
				t.Errorf("error %q does not mention %q", err, c.message)
			}
		})
	}
}

func ExampleLogistic() {
	temp := []float64{66, 70, 69, 68, 67, 72, 73, 70, 57, 63, 70, 78, 67, 53, 67, 75, 70, 81, 76, 79, 75, 76, 58}
	damage := []float64{0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1}
	x := make([][]float64, len(temp))
	for i, t := range temp {
		x[i] = []float64{t}
	}
	fit, err := Logistic(x, damage, []string{"temp"}, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	t := fit.Terms[1]
	fmt.Printf("odds ratio of O-ring distress per °F: %.4f\n", t.OddsRatio)
	// Output:
	// odds ratio of O-ring distress per °F: 0.7928
}

func BenchmarkLogistic(b *testing.B) {
	const n, p = 500, 10
	r := rand.New(rand.NewPCG(2024, 9))
	truth := make([]float64, p)
	for j := range truth {
		truth[j] = 0.5 * r.NormFloat64()
	}
	x := make([][]float64, n)
	y := make([]float64, n)
	names := make([]string, p)
	for j := range names {
		names[j] = fmt.Sprintf("x%d", j)
	}
	for i := range x {
		x[i] = make([]float64, p)
		eta := -0.3
		for j := range x[i] {
			x[i][j] = r.NormFloat64()
			eta += truth[j] * x[i][j]
		}
		if r.Float64() < 1/(1+math.Exp(-eta)) {
			y[i] = 1
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Logistic(x, y, names, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}
