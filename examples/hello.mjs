console.log("hookwire example placeholder: the traced example program lands with the CLI issue");
