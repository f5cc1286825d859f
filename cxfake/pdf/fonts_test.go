package pdf

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWrap(t *testing.T) {
	assert.Equal(t, []string{"hello", "world"}, fontRegular.wrap("hello world", 10, fontRegular.width("hello wor", 10)))
	assert.Equal(t, []string{""}, fontRegular.wrap("", 10, 50))
	lines := fontRegular.wrap(strings.Repeat("x", 50), 10, 50)
	assert.Equal(t, strings.Repeat("x", 50), strings.Join(lines, ""), "a word too wide breaks inside")
	for _, l := range lines {
		assert.LessOrEqual(t, fontRegular.width(l, 10), 50.0)
	}
}
