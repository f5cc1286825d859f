package dispatch

// put sets m[k] = v, making the map on first use: the tables here are zero
// values inside Library (and Inbox), so their maps start nil.
func put[K comparable, V any](m *map[K]V, k K, v V) {
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
}
