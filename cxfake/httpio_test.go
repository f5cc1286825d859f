package cxfake

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestContentDisposition(t *testing.T) {
	assert.Equal(t, `attachment; filename="Invoice.pdf"; filename*=UTF-8''Invoice.pdf`, contentDisposition("Invoice.pdf"))
	assert.Equal(t, `attachment; filename="R_sum_ _a_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22a%22.pdf`, contentDisposition(`Résumé "a".pdf`))
	assert.Equal(t, `attachment; filename="a;b=c_d.pdf"; filename*=UTF-8''a%3Bb%3Dc%5Cd.pdf`, contentDisposition(`a;b=c\d.pdf`))
}
