// Starts Swagger UI on the API's description page (templates/swagger_ui.html). A static file, not an
// inline script, so the page keeps a Content-Security-Policy without 'unsafe-inline'.
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-ui-container");
  var config = JSON.parse(container.dataset.config);
  config.url = container.dataset.specUrl;
  config.dom_id = "#swagger-ui-container";
  window.ui = SwaggerUIBundle(config);
});
