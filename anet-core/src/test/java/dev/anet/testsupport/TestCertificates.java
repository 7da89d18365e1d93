package dev.anet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TEST-ONLY certificates, made at test time with the JDK's {@code keytool} into
 * {@code target/test-certs} (once; delete the folder, or {@code mvn clean}, for new ones). Nothing is
 * committed. PKCS12, password {@value #PASSWORD}, EC P-256 keys:
 *
 * <ul>
 * <li>{@code truststore.p12}: the test CA ({@code CN=anet test CA})</li>
 * <li>{@code server.p12}: {@code CN=localhost}, SAN {@code dns:localhost, ip:127.0.0.1}, by the CA</li>
 * <li>{@code client.p12}: {@code CN=anet test client}, by the CA</li>
 * <li>{@code wrong-host.p12}: {@code CN=other.example}, SAN {@code dns:other.example} only, by the CA</li>
 * <li>{@code other-client.p12}: {@code CN=stranger}, by another CA nobody trusts</li>
 * <li>{@code other-server.p12}: {@code CN=localhost}, SAN as {@code server.p12}, by that other CA</li>
 * <li>{@code other-truststore.p12}: that other CA (for the starter's certificate-rotation test)</li>
 * </ul>
 * The starter's tests use these too (anet-core's test-jar).
 */
public final class TestCertificates {

	public static final String PASSWORD = "changeit";

	private static final String[] FILES = { "truststore.p12", "server.p12", "client.p12", "wrong-host.p12",
			"other-client.p12", "other-server.p12", "other-truststore.p12" };

	private static Path dir;

	private TestCertificates() {
	}

	/**
	 * Return the folder, making the certificates first if they are missing.
	 * @return the folder
	 */
	public static synchronized Path dir() {
		if (dir == null) {
			Path target = Paths.get("target", "test-certs").toAbsolutePath();
			if (!Stream.of(FILES).allMatch((f) -> Files.isRegularFile(target.resolve(f)))) {
				make(target);
			}
			dir = target;
		}
		return dir;
	}

	/** A server context with {@code server.p12} (and the CA as trust, for client certificates). */
	public static SSLContext server() {
		return context("server.p12", "truststore.p12");
	}

	/** A client context that trusts the CA and presents no certificate. */
	public static SSLContext client() {
		return context(null, "truststore.p12");
	}

	/** A client context that trusts the CA and presents {@code client.p12}. */
	public static SSLContext clientWithCertificate() {
		return context("client.p12", "truststore.p12");
	}

	/**
	 * Make a context from the files of {@link #dir()}.
	 * @param keyStore the key store file, or {@code null} for none
	 * @param trustStore the trust store file, or {@code null} for none (trust nobody)
	 * @return the context
	 */
	public static SSLContext context(String keyStore, String trustStore) {
		try {
			KeyManagerFactory kmf = null;
			if (keyStore != null) {
				kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				kmf.init(load(keyStore), PASSWORD.toCharArray());
			}
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init((trustStore != null) ? load(trustStore) : emptyStore());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init((kmf != null) ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Cannot make a test TLS context from " + keyStore + ", " + trustStore, ex);
		}
	}

	private static KeyStore load(String file) throws GeneralSecurityException, IOException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(dir().resolve(file))) {
			store.load(in, PASSWORD.toCharArray());
		}
		return store;
	}

	private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		return store;
	}

	private static void make(Path target) {
		try {
			Files.createDirectories(target);
			Path tmp = Files.createTempDirectory(target, ".new");
			ca(tmp, "ca", "CN=anet test CA");
			ca(tmp, "other-ca", "CN=anet other test CA");
			keytool(tmp, "-importcert", "-keystore", "truststore.p12", "-storetype", "PKCS12", "-alias", "ca",
					"-file", "ca.pem", "-noprompt");
			keytool(tmp, "-importcert", "-keystore", "other-truststore.p12", "-storetype", "PKCS12", "-alias", "ca",
					"-file", "other-ca.pem", "-noprompt");
			List<Thread> leaves = new ArrayList<>();
			List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
			leaves.add(leaf(tmp, failures, "server", "CN=localhost", "ca", "san=dns:localhost,ip:127.0.0.1"));
			leaves.add(leaf(tmp, failures, "client", "CN=anet test client", "ca", null));
			leaves.add(leaf(tmp, failures, "wrong-host", "CN=other.example", "ca", "san=dns:other.example"));
			leaves.add(leaf(tmp, failures, "other-client", "CN=stranger", "other-ca", null));
			leaves.add(leaf(tmp, failures, "other-server", "CN=localhost", "other-ca", "san=dns:localhost,ip:127.0.0.1"));
			for (Thread leaf : leaves) {
				leaf.join(TimeUnit.MINUTES.toMillis(2));
			}
			if (!failures.isEmpty()) {
				throw failures.get(0);
			}
			for (String file : FILES) {
				Files.move(tmp.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot make test certificates in " + target, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while making test certificates", ex);
		}
	}

	private static void ca(Path dir, String name, String dname) {
		keytool(dir, "-genkeypair", "-keystore", name + ".p12", "-storetype", "PKCS12", "-alias", name, "-dname",
				dname, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650", "-ext", "bc:c=ca:true",
				"-ext", "ku:c=keyCertSign,cRLSign");
		keytool(dir, "-exportcert", "-keystore", name + ".p12", "-alias", name, "-rfc", "-file", name + ".pem");
	}

	private static Thread leaf(Path dir, List<RuntimeException> failures, String name, String dname, String ca,
			String san) {
		Thread thread = new Thread(() -> {
			try {
				keytool(dir, "-genkeypair", "-keystore", name + ".p12", "-storetype", "PKCS12", "-alias", name,
						"-dname", dname, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825");
				keytool(dir, "-certreq", "-keystore", name + ".p12", "-alias", name, "-file", name + ".csr");
				List<String> gencert = new ArrayList<>(List.of("-gencert", "-keystore", ca + ".p12", "-alias", ca,
						"-infile", name + ".csr", "-outfile", name + ".pem", "-rfc", "-validity", "825"));
				if (san != null) {
					gencert.addAll(List.of("-ext", san));
				}
				keytool(dir, gencert.toArray(String[]::new));
				Files.writeString(dir.resolve(name + "-chain.pem"),
						Files.readString(dir.resolve(name + ".pem")) + Files.readString(dir.resolve(ca + ".pem")));
				keytool(dir, "-importcert", "-keystore", name + ".p12", "-alias", name, "-file", name + "-chain.pem",
						"-noprompt");
			}
			catch (IOException ex) {
				failures.add(new UncheckedIOException(ex));
			}
			catch (RuntimeException ex) {
				failures.add(ex);
			}
		}, "test-certs-" + name);
		thread.start();
		return thread;
	}

	private static void keytool(Path dir, String... args) {
		List<String> command = new ArrayList<>();
		command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
		command.add("-J-XX:TieredStopAtLevel=1");
		command.add("-J-XX:+UseSerialGC");
		command.addAll(List.of(args));
		command.addAll(List.of("-storepass", PASSWORD));
		try {
			Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("keytool " + args[0] + " failed in " + dir + ": " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run keytool " + args[0], ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running keytool", ex);
		}
	}

}
