package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// bandwidthFlag is the value of -bandwidth in bits per second; 0 means no cap.
type bandwidthFlag int64

func (b *bandwidthFlag) String() string {
	if b == nil || *b == 0 {
		return "0"
	}
	return strconv.FormatInt(int64(*b), 10)
}

func (b *bandwidthFlag) Set(s string) error {
	v, err := parseBandwidth(s)
	if err != nil {
		return err
	}
	*b = bandwidthFlag(v)
	return nil
}

// bandwidthUnits are network speeds, so powers of 1000 and bits, not bytes.
var bandwidthUnits = []struct {
	suffix string
	mult   float64
}{{"gbit", 1e9}, {"mbit", 1e6}, {"kbit", 1e3}, {"bit", 1}}

// parseBandwidth reads a rate in bits per second: a plain number (2000000) or a
// number with kbit, mbit or gbit (500kbit, 100mbit, 1.5gbit; any letter case).
func parseBandwidth(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	num, mult := t, 1.0
	for _, u := range bandwidthUnits {
		if strings.HasSuffix(t, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	bad := func(why string) error {
		return fmt.Errorf("%q is not a bandwidth: %s; give bits per second such as 100mbit, 1gbit, 500kbit or 2000000 (0 = no cap)", s, why)
	}
	if num == "" || strings.Trim(num, "0123456789.") != "" || strings.Count(num, ".") > 1 || num == "." {
		if strings.HasSuffix(t, "bps") || strings.HasSuffix(t, "b/s") || strings.HasSuffix(t, "b") {
			return 0, bad("write the unit as kbit, mbit or gbit")
		}
		return 0, bad("want a number with an optional kbit, mbit or gbit")
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, bad(err.Error())
	}
	bits := v * mult
	switch {
	case bits >= math.MaxInt64:
		return 0, bad("too large")
	case bits != 0 && bits < 1:
		return 0, bad("less than one bit per second")
	}
	return int64(bits), nil
}
