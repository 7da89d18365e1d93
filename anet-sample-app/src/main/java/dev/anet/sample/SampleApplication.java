package dev.anet.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The anet sample: serves anet on {@code anet.server.port} with {@link HsmHandlers}, calls anet
 * through the auto-configured broker ({@code POST /anet/send}), and exposes health and metrics on
 * the actuator.
 */
@SpringBootApplication
@EnableConfigurationProperties(DemoProperties.class)
public class SampleApplication {

	public static void main(String[] args) {
		// the tls profile's bundles read certificates made here (sample-only, into target/tls-certs)
		SampleCertificates.makeIfTlsProfile(args);
		SpringApplication.run(SampleApplication.class, args);
	}

}
