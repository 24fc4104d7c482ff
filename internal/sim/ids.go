package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// newUUID returns a version-4-shaped UUID from the seeded id stream.
func (s *Server) newUUID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newUUIDLocked()
}

func (s *Server) newUUIDLocked() string {
	hi, lo := s.idRNG.Uint64(), s.idRNG.Uint64()
	hi = hi&^0xf000 | 0x4000           // version 4
	lo = lo&^(0xc000<<48) | 0x8000<<48 // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x",
		hi>>32, (hi>>16)&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

// uniqueRefLocked returns a reference prefix+N digits not handed out before
// (since the last Reset).
func (s *Server) uniqueRefLocked(prefix string, digits int) string {
	limit := uint64(1)
	for range digits {
		limit *= 10
	}
	for {
		ref := fmt.Sprintf("%s%0*d", prefix, digits, s.idRNG.Uint64N(limit))
		if !s.usedRefs[ref] {
			s.usedRefs[ref] = true
			return ref
		}
	}
}

// compactJSON returns body compacted, or body as a JSON string when it is
// not valid JSON (so Order.Body always marshals).
func compactJSON(body []byte) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, body); err != nil {
		quoted, _ := json.Marshal(string(body))
		return quoted
	}
	return buf.Bytes()
}
