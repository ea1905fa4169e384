/**
 * Finding the CMTP servers of a domain (PROTOCOL.md §7): {@link org.cmtp.server.dns.MxResolver}
 * turns a domain into {@link org.cmtp.server.dns.DeliveryTarget}s from static routes or
 * the DNS (MX, implicit MX, null MX), with dnsjava's cache and, if configured, DNSSEC
 * validation; {@link org.cmtp.server.dns.DnsCheck} shows the operator what it found.
 * {@link org.cmtp.server.dns.DnsSettings} holds the configuration. Everything here except
 * {@link org.cmtp.server.dns.MxResolverProducer} is plain Java, usable without a container.
 */
package org.cmtp.server.dns;
