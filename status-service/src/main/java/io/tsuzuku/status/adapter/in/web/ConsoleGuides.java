package io.tsuzuku.status.adapter.in.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.util.HtmlUtils;

/**
 * The guides an organisation's administrator follows from the console (docs/salesforce-setup.md,
 * docs/salesforce-mapping.md, copied from docs/ by the build), rendered once as pages of the
 * console. A link to another guide stays a link; one to a document the console does not serve
 * becomes its text.
 */
final class ConsoleGuides {

  static final List<String> NAMES = List.of("salesforce-setup", "salesforce-mapping");

  private final Map<String, String> pages = new TreeMap<>();

  ConsoleGuides() {
    var extensions = List.of(TablesExtension.create(), HeadingAnchorExtension.create()); // ids as GitHub gives them
    var parser = Parser.builder().extensions(extensions).build();
    var renderer = HtmlRenderer.builder().extensions(extensions).escapeHtml(true).build();
    for (var name : NAMES) {
      var document = parser.parse(read(name));
      document.accept(new LinksBetweenGuides());
      pages.put(name, page(title(document), renderer.render(document)));
    }
  }

  /** The guide's page, if there is such a guide. */
  Optional<String> page(String name) {
    return Optional.ofNullable(pages.get(name));
  }

  private static String page(String title, String body) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%s</title>
        <link rel="stylesheet" href="/console/console.css">
        </head>
        <body>
        <main class="guide">
        <p><a href="/console/#/salesforce">Salesforce連携に戻る</a></p>
        %s
        </main>
        </body>
        </html>
        """.formatted(HtmlUtils.htmlEscape(title), body);
  }

  private static String title(Node document) {
    var title = new StringBuilder();
    document.accept(new AbstractVisitor() {
      @Override
      public void visit(Heading heading) {
        if (heading.getLevel() == 1 && title.isEmpty()) {
          heading.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
              title.append(text.getLiteral());
            }
          });
        }
      }
    });
    return title.toString();
  }

  private static String read(String name) {
    try (var in = new ClassPathResource("console/guides/" + name + ".md").getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("the console's guide " + name + " is missing", e);
    }
  }

  /**
   * A relative {@code other.md#part} to another guide's page; one to a document beside it that the
   * console does not serve, unlinked; any other link as it is.
   */
  private static final class LinksBetweenGuides extends AbstractVisitor {
    @Override
    public void visit(Link link) {
      var destination = link.getDestination();
      var hash = destination.indexOf('#');
      var file = hash < 0 ? destination : destination.substring(0, hash);
      if (!file.endsWith(".md") || file.contains(":") || file.startsWith("/")) { // not a document beside this one
        visitChildren(link);
        return;
      }
      var name = file.substring(file.lastIndexOf('/') + 1, file.length() - ".md".length());
      if (NAMES.contains(name)) {
        link.setDestination("/console/guides/" + name + (hash < 0 ? "" : destination.substring(hash)));
        visitChildren(link);
        return;
      }
      Node child = link.getFirstChild();
      while (child != null) {
        var next = child.getNext();
        link.insertBefore(child);
        child = next;
      }
      link.unlink();
    }
  }
}
