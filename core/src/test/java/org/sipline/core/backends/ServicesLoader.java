package org.sipline.core.backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import org.sipline.core.spi.SipBackendProvider;

/**
 * A class loader whose only {@code META-INF/services} files are the one a test writes: classes come
 * from the test class path, but service files of the test class path (core's own fake backend) stay
 * invisible, so each test sees exactly the providers it lists.
 */
final class ServicesLoader extends URLClassLoader {
  private static final String SERVICES = "META-INF/services/";

  private ServicesLoader(URL[] roots) {
    super(roots, ServicesLoader.class.getClassLoader());
  }

  /** A loader whose services file for SipBackendProvider holds {@code lines}. */
  static ServicesLoader listing(Path dir, String... lines) {
    return over(writeServices(dir, lines));
  }

  /** A loader over several roots, each like a jar with its own services file. */
  static ServicesLoader over(Path... roots) {
    URL[] urls = new URL[roots.length];
    try {
      for (int i = 0; i < roots.length; i++) {
        urls[i] = roots[i].toUri().toURL();
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
    return new ServicesLoader(urls);
  }

  /** Writes {@code root}'s services file for SipBackendProvider; returns {@code root}. */
  static Path writeServices(Path root, String... lines) {
    try {
      Path file = root.resolve(SERVICES + SipBackendProvider.class.getName());
      Files.createDirectories(file.getParent());
      Files.write(file, List.of(lines));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return name.startsWith(SERVICES) ? findResources(name) : super.getResources(name);
  }
}
