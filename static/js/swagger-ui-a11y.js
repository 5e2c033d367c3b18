// Accessibility fixes for drf-spectacular's Swagger UI (the API documentation page).
//
// Loaded after swagger-ui-bundle.js and before drf-spectacular's init script, it adds one
// plugin to every SwaggerUIBundle(...) call, so the init script and its settings stay as they
// are. The plugin changes the elements Swagger UI's components render, never the DOM after
// React has built it:
//
// - Swagger UI renders its own <main> and <h1>, but the page's <main id="main-content"> already
//   holds the explorer and its <h1> names the page: they become a <div> and an <h2>, so the page
//   keeps one main landmark and one level-one heading.
// - With deepLinking on, each operation's path is an <a> inside the summary's <button>:
//   interactive content nested in a control (axe: nested-interactive). The link is left out;
//   expanding an operation still puts its deep link in the address bar.
// - Buttons whose aria-label hides their visible text ("Authorize" named "Apply credentials";
//   WCAG 2.5.3 label in name) are named by their text; the dialog's close icon button gets a
//   name; the request body editor's <textarea> gets a label.
//
// Colours that fail WCAG contrast are fixed in portal.css, under .portal-swagger.
(function () {
  "use strict";

  const SwaggerUIBundle = window.SwaggerUIBundle;
  if (typeof SwaggerUIBundle !== "function") {
    return;
  }

  const BOUNDARY = "WithErrorBoundary(";

  function isClassComponent(type) {
    return typeof type === "function" && Boolean(type.prototype && type.prototype.render);
  }

  function nameOf(type) {
    return type.displayName || type.name || "Component";
  }

  // A React element tree with every element passed through change(element).
  function mapTree(React, node, change) {
    if (Array.isArray(node)) {
      return node.map((child) => mapTree(React, child, change));
    }
    if (!React.isValidElement(node)) {
      return node;
    }
    let element = node;
    if (node.props && node.props.children !== undefined) {
      element = React.cloneElement(node, {
        children: mapTree(React, node.props.children, change),
      });
    }
    return change(element);
  }

  // The same element with another type (an HTML tag or a component).
  function retype(React, element, type) {
    const props = Object.assign({}, element.props, { key: element.key });
    if (element.ref) {
      props.ref = element.ref;
    }
    return React.createElement(type, props);
  }

  // A subclass of a class component whose rendered elements go through change(React, element,
  // component). Swagger UI's SafeRender plugin has already put some components (BaseLayout among
  // them) in an error boundary, WithErrorBoundary(X), which renders <ErrorBoundary><X/>: the
  // change is then made in X. Anything else is returned unchanged, and the browser tests notice.
  function changeRender(Original, system, change) {
    if (!isClassComponent(Original)) {
      return Original;
    }
    const React = system.React;
    const displayName = nameOf(Original);
    const wrapped = displayName.startsWith(BOUNDARY) ? displayName.slice(BOUNDARY.length, -1) : null;
    const changedWrapped = new WeakMap();

    class Accessible extends Original {
      render() {
        return mapTree(React, super.render(), (element) => {
          if (wrapped !== null) {
            if (isClassComponent(element.type) && nameOf(element.type) === wrapped) {
              if (!changedWrapped.has(element.type)) {
                changedWrapped.set(element.type, changeRender(element.type, system, change));
              }
              return retype(React, element, changedWrapped.get(element.type));
            }
            return element;
          }
          return change(React, element, this);
        });
      }
    }
    Accessible.displayName = `Accessible(${displayName})`;
    return Accessible;
  }

  function textOf(children) {
    if (typeof children === "string" || typeof children === "number") {
      return String(children);
    }
    if (Array.isArray(children) && children.every((c) => typeof c === "string")) {
      return children.join("");
    }
    return null;
  }

  function PortalAccessibilityPlugin() {
    return {
      wrapComponents: {
        BaseLayout: (Original, system) =>
          changeRender(Original, system, (React, element) =>
            element.type === "main" ? retype(React, element, "div") : element,
          ),
        info: (Original, system) =>
          changeRender(Original, system, (React, element) =>
            element.type === "h1" ? retype(React, element, "h2") : element,
          ),
        OperationSummaryPath: (Original, system) =>
          changeRender(Original, system, (React, element, component) =>
            element.type === component.props.getComponent("DeepLink")
              ? React.cloneElement(element, { enabled: false })
              : element,
          ),
        authorizationPopup: (Original, system) =>
          changeRender(Original, system, (React, element) =>
            element.type === "button" && element.props.className === "close-modal"
              ? React.cloneElement(element, { "aria-label": "Close" })
              : element,
          ),
        RequestBodyEditor: (Original, system) =>
          changeRender(Original, system, (React, element, component) =>
            element.type === component.props.getComponent("TextArea")
              ? React.cloneElement(element, { "aria-label": "Request body" })
              : element,
          ),
        Button: (Original, system) =>
          function AccessibleButton(props) {
            const label = props["aria-label"];
            const text = textOf(props.children);
            if (label && text && !label.toLowerCase().includes(text.trim().toLowerCase())) {
              const named = Object.assign({}, props);
              delete named["aria-label"];
              return system.React.createElement(Original, named);
            }
            return system.React.createElement(Original, props);
          },
      },
    };
  }

  function PortalSwaggerUIBundle(options) {
    const plugins = (options && options.plugins) || [];
    return SwaggerUIBundle(
      Object.assign({}, options, { plugins: plugins.concat([PortalAccessibilityPlugin]) }),
    );
  }
  // SwaggerUIBundle.presets, .plugins and the rest stay reachable through the wrapper.
  Object.setPrototypeOf(PortalSwaggerUIBundle, SwaggerUIBundle);
  window.SwaggerUIBundle = PortalSwaggerUIBundle;
})();
