package dev.spectra.gateway.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway writes its audit records ({@code spectra.gateway.audit.*}).
 *
 * @param trustForwardedFor take the client's address from the last {@code X-Forwarded-For} entry, the one the load
 *                          balancer in front of the gateway added, instead of the connection's peer. Default false: only
 *                          set it where every request comes through a proxy that appends the header, or any client can
 *                          name any address.
 */
@ConfigurationProperties("spectra.gateway.audit")
public record AuditProperties(@DefaultValue("false") boolean trustForwardedFor) {
}
