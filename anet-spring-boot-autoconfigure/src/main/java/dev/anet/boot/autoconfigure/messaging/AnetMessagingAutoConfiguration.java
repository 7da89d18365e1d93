package dev.anet.boot.autoconfigure.messaging;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.messaging.AnetMessageConverter;
import dev.anet.boot.messaging.AnetMessageConverters;
import dev.anet.boot.messaging.AnetTemplate;
import dev.anet.boot.messaging.StringMessageConverter;
import dev.anet.broker.Broker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for typed anet messages: the
 * {@link AnetMessageConverters} (every {@link AnetMessageConverter} bean in order, then
 * {@code byte[]} and {@code String} in {@code anet.messages.charset}), used by
 * {@code @AnetHandler} methods, and an {@link AnetTemplate} over the {@link Broker}.
 */
@AutoConfiguration(after = AnetAutoConfiguration.class)
@EnableConfigurationProperties(AnetMessagesProperties.class)
public final class AnetMessagingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AnetMessageConverters anetMessageConverters(ObjectProvider<AnetMessageConverter> converters,
			AnetMessagesProperties properties) {
		return AnetMessageConverters.withDefaults(converters.orderedStream().toList(),
				new StringMessageConverter(properties.getCharset()));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(Broker.class)
	AnetTemplate anetTemplate(Broker broker, AnetMessageConverters converters) {
		return new AnetTemplate(broker, converters);
	}

}
