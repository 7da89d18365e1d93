package dev.anet.boot.test.mock;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of the {@code @AutoConfigureMockAnetServer} tests: a service that calls an HSM
 * through the auto-configured broker.
 */
@SpringBootApplication
public class MockApplication {

}
