package dev.anet.boot.test.slice;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of the {@code @AnetHandlerTest} tests: handlers, and beans the slice leaves out.
 */
@SpringBootApplication
public class SliceApplication {

}
