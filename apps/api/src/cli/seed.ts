console.log("seed")
