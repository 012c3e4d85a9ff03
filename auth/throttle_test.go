package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2024, 8, 17, 9, 0, 0, 0, time.UTC)

func TestThrottleAccountLimit(t *testing.T) {
	th := &Throttle{}
	now := t0
	for i := range DefaultMaxPerAccount {
		if ok, _ := th.Allow("ana@kemendagri.go.id", "10.0.0.1", now); !ok {
			t.Fatalf("blocked before failure %d", i+1)
		}
		th.Fail("ana@kemendagri.go.id", "10.0.0.1", now)
		now = now.Add(time.Minute)
	}
	// Five failures at t0..t0+4m: blocked until the first leaves the window at t0+15m.
	ok, retry := th.Allow("ana@kemendagri.go.id", "10.0.0.99", now)
	if ok || retry != 10*time.Minute {
		t.Fatalf("after 5 failures from another address: ok=%v retryAfter=%v, want blocked for 10m", ok, retry)
	}
	if ok, _ := th.Allow("ANA@Kemendagri.go.id ", "10.0.0.99", now); ok {
		t.Error("the account's spelling gets around the limit")
	}
	if ok, _ := th.Allow("budi@kemendagri.go.id", "10.0.0.1", now); !ok {
		t.Error("another account from the same address is blocked by the account limit")
	}
	// At t0+15m the first failure has left the window.
	if ok, retry := th.Allow("ana@kemendagri.go.id", "10.0.0.1", t0.Add(DefaultWindow-time.Nanosecond)); ok || retry != time.Nanosecond {
		t.Errorf("just before the window ends: ok=%v retryAfter=%v", ok, retry)
	}
	if ok, _ := th.Allow("ana@kemendagri.go.id", "10.0.0.1", t0.Add(DefaultWindow)); !ok {
		t.Error("still blocked once the oldest failure left the window")
	}
	// Everything forgotten after a full window without failures.
	if ok, _ := th.Allow("ana@kemendagri.go.id", "10.0.0.1", now.Add(DefaultWindow)); !ok {
		t.Error("still blocked after the window")
	}
	if a, c := th.Len(); a != 0 || c != 0 {
		t.Errorf("remembers %d accounts and %d clients after expiry, want none", a, c)
	}
}

func TestThrottleClientLimitAcrossAccounts(t *testing.T) {
	th := &Throttle{MaxPerClient: 3, MaxPerAccount: 100}
	for i := range 3 {
		th.Fail(fmt.Sprintf("user%d@x.go.id", i), "192.0.2.7", t0)
	}
	ok, retry := th.Allow("fresh@x.go.id", "192.0.2.7", t0.Add(time.Minute))
	if ok || retry != DefaultWindow-time.Minute {
		t.Fatalf("one address over 3 accounts: ok=%v retryAfter=%v, want blocked for 14m", ok, retry)
	}
	if ok, _ := th.Allow("fresh@x.go.id", "192.0.2.8", t0.Add(time.Minute)); !ok {
		t.Error("another address is blocked")
	}
	// A success on one account does not reset the address.
	th.Succeed("user0@x.go.id")
	if ok, _ := th.Allow("user0@x.go.id", "192.0.2.7", t0.Add(time.Minute)); ok {
		t.Error("a successful login reset the client's failures")
	}
}

func TestThrottleSucceedClears(t *testing.T) {
	th := &Throttle{MaxPerAccount: 2, Window: time.Hour}
	th.Fail("a@x.go.id", "c1", t0)
	th.Fail("a@x.go.id", "c2", t0)
	if ok, retry := th.Allow("a@x.go.id", "c3", t0); ok || retry != time.Hour {
		t.Fatalf("configured limit 2 / 1h: ok=%v retryAfter=%v", ok, retry)
	}
	th.Succeed("A@x.go.id")
	if ok, _ := th.Allow("a@x.go.id", "c3", t0); !ok {
		t.Error("still blocked after Succeed")
	}
	// The next failure starts a fresh count.
	th.Fail("a@x.go.id", "c1", t0)
	if ok, _ := th.Allow("a@x.go.id", "c3", t0); !ok {
		t.Error("one failure after Succeed blocks")
	}
}

// TestThrottleKeepsOnlyRecentFailures: an account that keeps failing is blocked until the
// oldest of its last MaxPerAccount failures leaves the window, not its first one ever.
func TestThrottleKeepsOnlyRecentFailures(t *testing.T) {
	th := &Throttle{MaxPerAccount: 3, Window: 10 * time.Minute}
	for i := range 10 {
		th.Fail("a@x.go.id", "c", t0.Add(time.Duration(i)*time.Minute))
	}
	// Last three at 7, 8, 9 min: blocked until 17 min.
	if ok, retry := th.Allow("a@x.go.id", "c", t0.Add(9*time.Minute)); ok || retry != 8*time.Minute {
		t.Errorf("ok=%v retryAfter=%v, want blocked 8m", ok, retry)
	}
}

func TestThrottleMemoryCap(t *testing.T) {
	th := &Throttle{MaxEntries: 100}
	for i := range 1000 {
		th.Fail(fmt.Sprintf("u%d@x.go.id", i), fmt.Sprintf("10.0.%d.%d", i/256, i%256), t0.Add(time.Duration(i)*time.Millisecond))
	}
	if a, c := th.Len(); a != 100 || c != 100 {
		t.Fatalf("remembers %d accounts and %d clients, cap 100", a, c)
	}
	// The entry whose last failure is oldest is the one dropped.
	th2 := &Throttle{MaxEntries: 2, MaxPerAccount: 1}
	th2.Fail("old@x.go.id", "c", t0)
	th2.Fail("mid@x.go.id", "c", t0.Add(time.Second))
	th2.Fail("old@x.go.id", "c", t0.Add(2*time.Second)) // old is now the most recent
	th2.Fail("new@x.go.id", "c", t0.Add(3*time.Second)) // evicts mid
	for acc, blocked := range map[string]bool{"old@x.go.id": true, "mid@x.go.id": false, "new@x.go.id": true} {
		if ok, _ := th2.Allow(acc, "other", t0.Add(4*time.Second)); ok == blocked {
			t.Errorf("%s: allowed=%v, want blocked=%v", acc, ok, blocked)
		}
	}
}

// TestThrottleConcurrent is for -race: many goroutines on one Throttle.
func TestThrottleConcurrent(t *testing.T) {
	th := &Throttle{MaxEntries: 50}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				acc := fmt.Sprintf("u%d@x.go.id", i%70)
				cl := fmt.Sprintf("c%d", g)
				now := t0.Add(time.Duration(i) * time.Second)
				th.Allow(acc, cl, now)
				th.Fail(acc, cl, now)
				if i%10 == 0 {
					th.Succeed(acc)
				}
			}
		})
	}
	wg.Wait()
	if a, c := th.Len(); a > 50 || c > 50 {
		t.Errorf("over the cap: %d accounts, %d clients", a, c)
	}
}
