"""The app's screens: review, help, dialogs."""
