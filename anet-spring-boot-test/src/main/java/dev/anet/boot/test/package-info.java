/**
 * Testing anet applications: {@link dev.anet.boot.test.MockAnetServer}, a scripted anet server
 * (with {@link dev.anet.boot.test.MockAnetServerExtension} for plain JUnit 5), and for Spring Boot
 * tests {@link dev.anet.boot.test.AutoConfigureMockAnetServer @AutoConfigureMockAnetServer},
 * {@link dev.anet.boot.test.AnetHandlerTest @AnetHandlerTest} with its
 * {@link dev.anet.boot.test.AnetTestClient}, and
 * {@link dev.anet.boot.test.LocalAnetServerPort @LocalAnetServerPort}.
 */
@NullMarked
package dev.anet.boot.test;

import org.jspecify.annotations.NullMarked;
