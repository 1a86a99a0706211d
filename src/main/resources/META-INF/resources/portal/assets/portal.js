// Valv portal: the only script, loaded from 'self' (the CSP allows no inline script).
// Forms that do something irreversible carry data-confirm="question" and ask before they submit.
document.addEventListener('submit', function (event) {
  var question = event.target.getAttribute('data-confirm');
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
