package org.cmtp.server.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsSettingsTest {

    static DnsSettings from(Map<String, String> values) {
        return DnsSettings.fromSettings(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void nothingSetMeansTheDefaults() {
        DnsSettings settings = from(Map.of());
        assertEquals(DnsSettings.defaults(), settings);
        assertEquals(List.of(), settings.servers(), "the system resolver's servers");
        assertEquals(List.of(), settings.routes());
        assertEquals(DnssecMode.OFF, settings.dnssec());
        assertEquals(Optional.empty(), settings.trustAnchors(), "the shipped IANA root anchors");
        assertEquals(Duration.ofSeconds(5), settings.timeout());
        assertEquals(9001, settings.mxPort());
    }

    @Test
    void blankValuesCountAsUnset() {
        assertEquals(DnsSettings.defaults(), from(Map.of("cmtp.dns-servers", " ", "cmtp.routes", "",
                "cmtp.dnssec", "", "cmtp.dns-timeout", " ", "cmtp.mx-port", "")));
    }

    @Test
    void everyKeyIsRead(@TempDir Path dir) throws Exception {
        Path anchors = Files.writeString(dir.resolve("anchors"), ". IN DS 1 8 2 00\n");
        DnsSettings settings = from(Map.of(
                "cmtp.dns-servers", "127.0.0.1:5353, [::1]:54, ::2, 10.0.0.1",
                "cmtp.routes", "b.test=127.0.0.3:9001,C.Test.=[::1]:9002, d.test=mail.d.example",
                "cmtp.dnssec", "Require",
                "cmtp.dnssec-trust-anchors", anchors.toString(),
                "cmtp.dns-timeout", "1.5",
                "cmtp.mx-port", "9100"));
        assertEquals(List.of(
                new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("::1", 54),
                new InetSocketAddress("::2", 53), new InetSocketAddress("10.0.0.1", 53)), settings.servers());
        assertEquals(List.of(
                new StaticRoute("b.test", "127.0.0.3", 9001),
                new StaticRoute("c.test", "::1", 9002),
                new StaticRoute("d.test", "mail.d.example", 0)), settings.routes());
        assertEquals(DnssecMode.REQUIRE, settings.dnssec());
        assertEquals(Optional.of(anchors), settings.trustAnchors());
        assertEquals(Duration.ofMillis(1500), settings.timeout());
        assertEquals(9100, settings.mxPort());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cmtp.dns-servers          | CMTP_DNS_SERVERS          | 127.0.0.1:0",
        "cmtp.dns-servers          | CMTP_DNS_SERVERS          | 127.0.0.1:x",
        "cmtp.dns-servers          | CMTP_DNS_SERVERS          | [::1",
        "cmtp.dns-servers          | CMTP_DNS_SERVERS          | [zz::1]:53",
        "cmtp.dns-servers          | CMTP_DNS_SERVERS          | bad host!",
        "cmtp.routes               | CMTP_ROUTES               | b.test",
        "cmtp.routes               | CMTP_ROUTES               | =127.0.0.1",
        "cmtp.routes               | CMTP_ROUTES               | b.test=",
        "cmtp.routes               | CMTP_ROUTES               | b..test=127.0.0.1",
        "cmtp.routes               | CMTP_ROUTES               | b.test=127.0.0.1:70000",
        "cmtp.dnssec               | CMTP_DNSSEC               | maybe",
        "cmtp.dnssec-trust-anchors | CMTP_DNSSEC_TRUST_ANCHORS | /no/such/anchors",
        "cmtp.dns-timeout          | CMTP_DNS_TIMEOUT          | 0",
        "cmtp.dns-timeout          | CMTP_DNS_TIMEOUT          | -1",
        "cmtp.dns-timeout          | CMTP_DNS_TIMEOUT          | soon",
        "cmtp.dns-timeout          | CMTP_DNS_TIMEOUT          | 301",
        "cmtp.mx-port              | CMTP_MX_PORT              | 0",
        "cmtp.mx-port              | CMTP_MX_PORT              | 65536",
        "cmtp.mx-port              | CMTP_MX_PORT              | nine",
    })
    void anInvalidValueIsRefusedNamingKeyVariableAndValue(String key, String variable, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(Map.of(key, value)));
        assertTrue(e.getMessage().startsWith(key + " (" + variable + ") = '" + value + "' is not valid: "), e.getMessage());
    }
}
