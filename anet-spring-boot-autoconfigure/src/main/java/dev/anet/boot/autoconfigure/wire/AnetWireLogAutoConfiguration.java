package dev.anet.boot.autoconfigure.wire;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.wire.CardNumberWireMasker;
import dev.anet.boot.wire.WireLog;
import dev.anet.boot.wire.WireLogBrokerInterceptor;
import dev.anet.boot.wire.WireLogHandlerInterceptor;
import dev.anet.boot.wire.WireMasker;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the wire log, with
 * {@code anet.wire-log.enabled=true}: the broker's and the server's frames at DEBUG on the logger
 * {@code dev.anet.wire}, masked by the {@link WireMasker} bean ({@link CardNumberWireMasker}
 * unless you declare one). Off, nothing of it exists.
 */
@AutoConfiguration(before = AnetAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "anet.wire-log.enabled")
public final class AnetWireLogAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WireMasker anetWireMasker() {
		return new CardNumberWireMasker();
	}

	@Bean
	@ConditionalOnMissingBean
	WireLog anetWireLog(WireMasker masker) {
		return new WireLog(masker);
	}

	@Bean
	@ConditionalOnMissingBean
	WireLogBrokerInterceptor anetWireLogBrokerInterceptor(WireLog log) {
		return new WireLogBrokerInterceptor(log);
	}

	@Bean
	@ConditionalOnMissingBean
	WireLogHandlerInterceptor anetWireLogHandlerInterceptor(WireLog log) {
		return new WireLogHandlerInterceptor(log);
	}

}
