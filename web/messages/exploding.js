// Messages of the exploding panel.
export default { en: {}, zh: {} };
