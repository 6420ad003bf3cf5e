// Messages of the init panel.
export default { en: {}, zh: {} };
