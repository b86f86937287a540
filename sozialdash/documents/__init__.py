"""Documents that leave the app: Datenblätter as PDF and as one self-contained HTML file, built without a browser
on the server. One model (``model``), two renderers (``pdf``, ``html``), and the builders that fill the model from
what the pages show (``datenblatt``)."""
