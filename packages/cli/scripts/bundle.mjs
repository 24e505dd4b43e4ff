console.log("bundle: not yet");
