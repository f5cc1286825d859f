package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseBandwidth(t *testing.T) {
	for in, want := range map[string]int64{
		"100mbit": 100_000_000, "1gbit": 1_000_000_000, "500kbit": 500_000, "10mbit": 10_000_000,
		"16Mbit": 16_000_000, "1.5gbit": 1_500_000_000, "2000000": 2_000_000, "64bit": 64, " 8kbit ": 8000, "0": 0,
	} {
		got, err := parseBandwidth(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	for _, in := range []string{"", "fast", "mbit", "-5mbit", "100mbps", "100MB", "10 Mb/s", "1.2.3kbit", ".", "1e9", "0x10", "NaN", "0.5bit", "99999999999gbit"} {
		_, err := parseBandwidth(in)
		if assert.Error(t, err, in) {
			assert.Contains(t, err.Error(), "100mbit", "the message shows the accepted form")
		}
	}
}
