package pdf

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseJSONTreeKeepsOrderAndText(t *testing.T) {
	n, err := parseJSONTree([]byte(` {"b": 1, "a": [{"x": "\u00e9\"q\\"}, 2], "c": {"d": [1, {"e": 2}]}, "s": "x\ny"} `), 2)
	require.NoError(t, err)
	assert.Equal(t, byte('{'), n.kind)
	assert.Equal(t, []string{"b", "a", "c", "s"}, n.keys)
	assert.Equal(t, "1", n.items[0].text())
	a := n.items[1]
	require.Len(t, a.items, 2)
	assert.Equal(t, `{"x": "\u00e9\"q\\"}`, a.items[0].text(), "below the depth a value keeps its text")
	assert.Equal(t, `{"d": [1, {"e": 2}]}`, n.items[2].text())
	assert.Equal(t, `x\u000ay`, n.items[3].text(), "a string shows its characters, non-ASCII escaped")
	for _, bad := range []string{``, `{`, `{"a"}`, `[1,]`, `"open`, `{"a":1}x`, `{1:2}`} {
		_, err := parseJSONTree([]byte(bad), 2)
		assert.Error(t, err, bad)
	}
}
