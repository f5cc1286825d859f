package pdf

import (
	"bytes"
	"encoding/json"
	"errors"
)

// A jsonNode is a JSON value read for the report's tables, with the members of
// objects in the order they were sent. Only the top levels are taken apart; deeper
// values keep just their text, which the tables show as compact JSON.
type jsonNode struct {
	kind  byte     // '{' object, '[' array, '"' string, '0' number, 'l' true/false/null
	raw   []byte   // the value's JSON text as received (compact when the input was)
	keys  []string // object: member names, decoded
	items []*jsonNode
}

var errJSONTree = errors.New("pdf: not JSON")

// parseJSONTree reads one JSON value, splitting objects and arrays into members
// down to depth levels (depth 0 keeps only the text).
func parseJSONTree(b []byte, depth int) (*jsonNode, error) {
	p := jsonReader{b: b}
	p.space()
	n, err := p.value(depth)
	if err != nil {
		return nil, err
	}
	if p.space(); p.i != len(p.b) {
		return nil, errJSONTree
	}
	return n, nil
}

// text is how a table cell shows the value: a string's text, other values as
// their JSON; both printable ASCII with \uXXXX for anything else.
func (n *jsonNode) text() string {
	if n.kind == '"' {
		if !bytes.ContainsRune(n.raw, '\\') {
			return ASCII(string(n.raw[1 : len(n.raw)-1]))
		}
		var s string
		if err := json.Unmarshal(n.raw, &s); err == nil {
			return ASCII(s)
		}
	}
	return ASCII(string(n.raw))
}

type jsonReader struct {
	b []byte
	i int
}

func (p *jsonReader) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonReader) value(depth int) (*jsonNode, error) {
	if p.i >= len(p.b) {
		return nil, errJSONTree
	}
	start := p.i
	c := p.b[p.i]
	var n *jsonNode
	switch {
	case c == '"':
		if err := p.skipString(); err != nil {
			return nil, err
		}
		n = &jsonNode{kind: '"'}
	case (c == '{' || c == '[') && depth > 0:
		var err error
		if n, err = p.container(c, depth); err != nil {
			return nil, err
		}
	case c == '{' || c == '[':
		if err := p.skipContainer(); err != nil {
			return nil, err
		}
		n = &jsonNode{kind: c}
	case c == 't' || c == 'f' || c == 'n':
		for p.i < len(p.b) && p.b[p.i] >= 'a' && p.b[p.i] <= 'z' {
			p.i++
		}
		n = &jsonNode{kind: 'l'}
	default:
		for p.i < len(p.b) && isNumberByte(p.b[p.i]) {
			p.i++
		}
		if p.i == start {
			return nil, errJSONTree
		}
		n = &jsonNode{kind: '0'}
	}
	n.raw = p.b[start:p.i]
	return n, nil
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// container reads an object or an array whose members are taken apart.
func (p *jsonReader) container(open byte, depth int) (*jsonNode, error) {
	n := &jsonNode{kind: open}
	closer := byte(']')
	if open == '{' {
		closer = '}'
	}
	p.i++
	p.space()
	if p.i < len(p.b) && p.b[p.i] == closer {
		p.i++
		return n, nil
	}
	for {
		p.space()
		if open == '{' {
			ks := p.i
			if p.i >= len(p.b) || p.b[p.i] != '"' {
				return nil, errJSONTree
			}
			if err := p.skipString(); err != nil {
				return nil, err
			}
			key := (&jsonNode{kind: '"', raw: p.b[ks:p.i]}).text()
			p.space()
			if p.i >= len(p.b) || p.b[p.i] != ':' {
				return nil, errJSONTree
			}
			p.i++
			p.space()
			n.keys = append(n.keys, key)
		}
		v, err := p.value(depth - 1)
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
		p.space()
		if p.i >= len(p.b) {
			return nil, errJSONTree
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case closer:
			p.i++
			return n, nil
		default:
			return nil, errJSONTree
		}
	}
}

func (p *jsonReader) skipString() error {
	for p.i++; p.i < len(p.b); p.i++ {
		switch p.b[p.i] {
		case '\\':
			p.i++
		case '"':
			p.i++
			return nil
		}
	}
	return errJSONTree
}

// skipContainer passes over a whole object or array without recursion.
func (p *jsonReader) skipContainer() error {
	level := 0
	for ; p.i < len(p.b); p.i++ {
		switch p.b[p.i] {
		case '"':
			if err := p.skipString(); err != nil {
				return err
			}
			p.i-- // the loop steps past the closing quote
		case '{', '[':
			level++
		case '}', ']':
			if level--; level == 0 {
				p.i++
				return nil
			}
		}
	}
	return errJSONTree
}
