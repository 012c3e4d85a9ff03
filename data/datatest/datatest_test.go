package datatest_test

import (
	"context"
	"mppmap/data/datatest"
	"testing"
)

func TestNewDB(t *testing.T) {
	_, p := datatest.NewDB(t)
	var n int
	if err := p.QueryRow(context.Background(), "select count(*) from region").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal(n)
	}
}
