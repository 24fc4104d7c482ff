package carrier

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"syscall"
)

// unreachable names why a request that was never written failed to reach
// the carrier: "connection refused", "DNS: …", "TLS: …", "connect timeout"…
// It returns "" for a failure that says nothing about the carrier (the
// caller's context ended).
func unreachable(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	var opErr *net.OpError
	var timeout interface{ Timeout() bool }
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return ""
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "no route to host"
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "DNS: no such host " + dnsErr.Name
		}
		return "DNS: " + dnsErr.Err
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr):
		return "TLS: certificate refused"
	case errors.As(err, &recErr):
		return "TLS: the server does not speak TLS"
	case errors.As(err, &timeout) && timeout.Timeout():
		return "connect timeout"
	case errors.As(err, &opErr):
		return opErr.Op + " failed"
	}
	return "no connection"
}
