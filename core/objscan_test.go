package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The one-pass scanner must split every object exactly as the token decoder does,
// and refuse (so that the caller reports the decoder's error) anything else.
func TestScanObjectMatchesTheTokenDecoder(t *testing.T) {
	objects := []string{
		`{}`, ` { } `, `{"a":1}`, `{"a" : 1 , "b":"x"}`,
		`{"z":{"n":[1,{"q":"]}"}]},"a":[],"e":"\"}\\"}`,
		`{"k\"ey":true,"\u00e9":false,"n":null,"f":-1.5e+3}`,
		`{"dup":1,"dup":2}`, "{\n\t\"a\":\r\n[ 1 , 2 ]\n}",
		`{"s":"tab\tin\\nside","u":"ünï"}`,
	}
	for _, in := range objects {
		keys, vals, err := objectMembersSlow([]byte(in))
		require.NoError(t, err, in)
		fk, fv, ok := scanObject([]byte(in))
		require.True(t, ok, in)
		assert.Equal(t, keys, fk, in)
		require.Len(t, fv, len(vals), in)
		for i := range vals {
			assert.JSONEq(t, string(vals[i]), string(fv[i]), in)
		}
	}
	for _, in := range []string{`[]`, `"s"`, `1`, `null`, ``} {
		_, _, ok := scanObject([]byte(in))
		assert.False(t, ok, in)
		_, _, err := objectMembers([]byte(in))
		assert.Error(t, err, in)
	}
	_, _, err := objectMembers([]byte(`{"a":1`))
	assert.Error(t, err)
}

// The scanner's values must not alias the input: Extra maps outlive the buffer
// the answer was read into.
func TestScanObjectCopies(t *testing.T) {
	in := []byte(`{"a":"xy"}`)
	_, vals, ok := scanObject(in)
	require.True(t, ok)
	in[6] = 'Z'
	assert.Equal(t, `"xy"`, string(vals[0]))
}
